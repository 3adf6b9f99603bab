"""Hardened XML parsing (pure) for sitemaps and OPML, and the entity check the source sniffer
applies to every XML document.

lxml parses with entity substitution off, no network and no DTD loading, so an XXE or
billion-laughs payload is never expanded; a document that *declares* entities is then refused
outright with a clear reason. Sitemaps and OPML never need a DOCTYPE, so ``strict`` refuses
any DOCTYPE at all (an external one could only be there to smuggle an entity in).
"""

from __future__ import annotations

import re

from lxml import etree

_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_DECL_UTF16 = ("<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


class XMLRefused(ValueError):
    """The document declares entities (or, when strict, has a DOCTYPE): never parsed on."""


class XMLBroken(ValueError):
    """The document is not well-formed XML."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def declares_entities(body: bytes) -> bool:
    """Whether the raw bytes declare an entity (checked before any parsing)."""
    head = body[:65536]
    return bool(_ENTITY_DECL.search(head)) or any(m in head for m in _ENTITY_DECL_UTF16)


def parse(body: bytes, strict: bool = True) -> etree._Element:
    """Parse XML bytes safely and return the root element.

    Raises ``XMLRefused`` for entity declarations (and, when ``strict``, any DOCTYPE), and
    ``XMLBroken`` for anything that is not well-formed XML."""
    if declares_entities(body):
        raise XMLRefused("entity declarations are not allowed (XXE / entity expansion refused)")
    try:
        root = etree.fromstring(body, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XMLBroken(str(exc) or "not well-formed XML") from None
    if root is None:
        raise XMLBroken("empty document")
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise XMLRefused("entity declarations are not allowed (XXE / entity expansion refused)")
    if strict:
        refuse_doctype(root)
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise XMLRefused("entity references are not allowed")
    return root


def refuse_doctype(root: etree._Element) -> None:
    """Raise ``XMLRefused`` when the document has any DOCTYPE."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.system_url or docinfo.public_id:
        raise XMLRefused("a DOCTYPE is not allowed in this document")


def local(tag: object) -> str:
    """An element's tag without its namespace ('' for comments and the like)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
