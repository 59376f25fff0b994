"""``explain``: why each event was coded, and why each candidate was dropped.

Runs the same stages as :meth:`Coder.code_doc` on one article and keeps what the pipeline
throws away: every trigger candidate with the lexicon line or rule that fired, how its actor
and recipient were found (coreference links included), and the reason a candidate was dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from polybius.pipeline import Coder
    from polybius.records import Article

__all__ = ["explain_article", "render_explanation"]


def _actor(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "text": actor.text,
        "name": actor.name,
        "code": actor.code,
        "country": actor.country,
        "sectors": list(actor.sectors),
        "role": actor.role,
        "link": actor.link,
    }


def explain_article(coder: Coder, article: Article) -> dict[str, Any]:
    """A JSON-ready explanation of one article, sentence by sentence."""
    analysis = coder.analyse(coder.parse(article), article)
    doc, coded, mentions, candidates = analysis.doc, analysis.coded, analysis.mentions, analysis.candidates
    events_by_sentence: dict[int, list[dict[str, Any]]] = {}
    for event in coded.events:
        events_by_sentence.setdefault(event.evidence.sentence_index, []).append(event.to_dict())
    dropped_by_key = {(d["sentence_index"], d["trigger"], d["cameo"]): d["reason"] for d in coded.dropped}
    sentences = []
    for index, sent in enumerate(doc.sents):
        sent_candidates = []
        for cand in candidates:
            if cand.sentence_index != index:
                continue
            reason = cand.dropped or dropped_by_key.get((index, cand.trigger_text, cand.cameo))
            sent_candidates.append(
                {
                    "trigger": cand.trigger_text,
                    "cameo": cand.cameo,
                    "plover": cand.plover,
                    "rule": cand.rule,
                    "actor": _actor(cand.actor),
                    "recipient": _actor(cand.recipient),
                    "tense": cand.tense,
                    "negated": cand.negated,
                    "hypothetical": cand.hypothetical,
                    "confidence": round(cand.confidence, 3),
                    "notes": list(cand.notes),
                    "dropped": reason,
                }
            )
        actors = [
            _actor(a) for a in mentions.at(sent.start_char, sent.end_char)
        ]
        sentences.append(
            {
                "index": index,
                "text": sent.text,
                "actors": actors,
                "candidates": sent_candidates,
                "events": events_by_sentence.get(index, []),
            }
        )
    return {
        "article": {
            "id": article.id,
            "source_id": article.source_id,
            "origin": article.origin,
            "published": article.published.isoformat() if article.published else None,
            "dateline_place": article.dateline_place,
        },
        "sentences": sentences,
        "places": analysis.places.explain(),
        "events": len(coded.events),
    }


def _who(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    text = f"{actor['name']} [{actor['code'] or actor['country'] or '?'}]"
    if actor.get("link"):
        text += f" (linked: {actor['link']})"
    return text


def _side(actor: dict[str, Any] | None) -> str:
    return (actor.get("code") or actor.get("country") or "?") if actor else "-"


def render_explanation(report: dict[str, Any]) -> str:
    """The explanation as readable text for the terminal."""
    art = report["article"]
    lines = [
        f"== {art['origin'] or art['id']}  (id {art['id']}, dateline {art['published'] or 'none'}"
        + (f", {art['dateline_place']}" if art["dateline_place"] else "")
        + f"): {report['events']} event(s)"
    ]
    for sent in report["sentences"]:
        if not sent["candidates"] and not sent["actors"]:
            continue
        lines.append("")
        lines.append(f"[{sent['index']}] {sent['text']}")
        if sent["actors"]:
            lines.append("    actors: " + "; ".join(_who(a) for a in sent["actors"]))
        for cand in sent["candidates"]:
            status = f"DROPPED ({cand['dropped']})" if cand["dropped"] else "CODED"
            lines.append(
                f"    {status}: '{cand['trigger']}' -> CAMEO {cand['cameo']}"
                + (f" / {cand['plover']}" if cand["plover"] else "")
                + f"  rule: {cand['rule']}"
            )
            lines.append(f"        actor: {_who(cand['actor'])}   recipient: {_who(cand['recipient'])}")
            for note in cand["notes"]:
                lines.append(f"        - {note}")
        for event in sent["events"]:
            loc = event.get("location") or {}
            lines.append(
                f"    => {event['plover']} {event['cameo']} {_side(event['actor'])} -> {_side(event['recipient'])}"
                f" on {event['date'] or '?'} ({event['date_basis']})"
                + (f" at {loc.get('name')}, {loc.get('country')} ({loc.get('basis')})" if loc else "")
                + f"  confidence {event['confidence']}"
            )
            recipient = event.get("recipient") or {}
            if (recipient.get("link") or "").startswith(("country of the place", "no target named: the country", "the place attacked")):
                lines.append(f"       recipient from the place: {recipient['link']}")
    places = report.get("places") or {}
    toponyms = [t for t in places.get("toponyms", []) if t.get("candidates")]
    if toponyms:
        lines += ["", "places (best candidates, highest score first):"]
        seen: set[str] = set()
        for top in toponyms:
            if top["text"] in seen:
                continue
            seen.add(top["text"])
            ranked = ", ".join(
                f"{c['name']} {c['country']} ({c['kind']}, {c['score']:.1f})" for c in top["candidates"][:3]
            )
            lines.append(f"    {top['text']}: {ranked}")
    return "\n".join(lines)
