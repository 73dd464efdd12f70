"""The genus hierarchy: broader concepts (the genus chain) and narrower ones (pages whose genus it is).

Everything is read from concept_structure; a genus names a main-namespace dbkey, which may be a
redirect (followed one hop) or a page that does not exist (the chain ends there, shown red).
Chains are cycle-safe and bounded; lists of children are paged by title.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func
from sqlalchemy.orm import aliased

from wiki import titles
from wiki.extensions import db
from wiki.models import ConceptStructure, Page, Redirect

MAX_CHAIN = 30  # genus steps followed up from a page
MAX_CHILDREN = 500  # children listed on one page of Special:ConceptTree
BOX_CHILDREN = 20  # children shown in a page's concept box before "more"
MAX_TREE_NODES = 2_000  # nodes drawn by one Special:ConceptTree
MAX_TREE_DEPTH = 6


@dataclass(frozen=True)
class Node:
    title: titles.Title
    page_id: int | None  # None: no page has this title (a red link)
    cycle: bool = False  # the chain came back to a concept already in it


def _title(dbkey: str) -> titles.Title:
    return titles.Title(titles.MAIN, dbkey.replace("_", " "))


def resolve(dbkey: str) -> tuple[str, int | None]:
    """(dbkey, page id) of the page at `dbkey`, a redirect followed one hop; (dbkey, None) if none."""
    page = db.session.execute(
        db.select(Page.id, Page.is_redirect).where(Page.namespace == titles.MAIN, Page.title == dbkey)
    ).first()
    if page is None:
        return dbkey, None
    if page.is_redirect:
        hop = db.session.get(Redirect, page.id)
        if hop is not None and hop.namespace == titles.MAIN:
            target = db.session.scalar(
                db.select(Page.id).where(Page.namespace == titles.MAIN, Page.title == hop.title)
            )
            if target is not None:
                return hop.title, target
    return dbkey, page.id


def genus_of(page_id: int) -> str | None:
    return db.session.scalar(db.select(ConceptStructure.genus).where(ConceptStructure.page_id == page_id))


def chain(page_id: int) -> list[Node]:
    """The genus chain above a page, nearest first, up to the root, a missing page or a cycle."""
    out: list[Node] = []
    seen = {page_id}
    current: int | None = page_id
    while current is not None and len(out) < MAX_CHAIN:
        genus = genus_of(current)
        if genus is None:
            break
        dbkey, target = resolve(genus)
        if target is not None and target in seen:
            out.append(Node(_title(dbkey), target, cycle=True))
            break
        out.append(Node(_title(dbkey), target))
        if target is None:
            break
        seen.add(target)
        current = target
    return out


def _names(page_id: int, dbkey: str) -> list[str]:
    """The dbkeys that name a page as genus: its title and the redirects to it."""
    redirects = db.session.scalars(
        db.select(Page.title)
        .join(Redirect, Redirect.page_id == Page.id)
        .where(Redirect.namespace == titles.MAIN, Redirect.title == dbkey, Page.namespace == titles.MAIN)
        .limit(50)
    ).all()
    return [dbkey, *redirects]


def children(page_id: int, dbkey: str, limit: int = BOX_CHILDREN, after: str = "") -> tuple[list[Node], bool]:
    """Concepts whose genus is this page, by title after `after`; and whether more follow."""
    limit = max(1, min(limit, MAX_CHILDREN))
    rows = db.session.execute(
        db.select(Page.id, Page.title)
        .join(ConceptStructure, ConceptStructure.page_id == Page.id)
        .where(
            ConceptStructure.genus.in_(_names(page_id, dbkey)),
            Page.namespace == titles.MAIN,
            Page.title > after,
            Page.id != page_id,
        )
        .order_by(Page.title)
        .limit(limit + 1)
    ).all()
    return [Node(_title(t), pid) for pid, t in rows[:limit]], len(rows) > limit


def count_children(page_id: int, dbkey: str) -> int:
    return int(
        db.session.scalar(
            db.select(func.count())
            .select_from(ConceptStructure)
            .where(ConceptStructure.genus.in_(_names(page_id, dbkey)), ConceptStructure.page_id != page_id)
        )
        or 0
    )


@dataclass
class TreeNode:
    node: Node
    children: list[TreeNode]
    more: bool = False  # children left out (the page or the whole tree's bound)


def subtree(page_id: int, dbkey: str, depth: int = MAX_TREE_DEPTH) -> TreeNode:
    """The hierarchy under a page, level by level (one query per level), bounded by MAX_TREE_NODES,
    MAX_CHILDREN per node and `depth`; a concept met twice is marked as a cycle."""
    root = TreeNode(Node(_title(dbkey), page_id), [])
    kids, root.more = children(page_id, dbkey, MAX_CHILDREN)
    seen: set[int | None] = {page_id}
    budget = MAX_TREE_NODES - len(kids)
    level: list[TreeNode] = []
    for kid in kids:
        seen.add(kid.page_id)
        child = TreeNode(kid, [])
        root.children.append(child)
        level.append(child)
    for _ in range(1, depth):
        if not level:
            break
        by_key = {t.node.title.dbkey: t for t in level}
        rows = db.session.execute(
            db.select(Page.id, Page.title, ConceptStructure.genus)
            .join(ConceptStructure, ConceptStructure.page_id == Page.id)
            .where(ConceptStructure.genus.in_(list(by_key)), Page.namespace == titles.MAIN)
            .order_by(ConceptStructure.genus, Page.title)
            .limit(budget + len(by_key) + 1)
        ).all()
        nxt: list[TreeNode] = []
        for pid, title, genus in rows:
            parent = by_key[genus]
            if budget <= 0 or len(parent.children) >= MAX_CHILDREN:
                parent.more = True
                continue
            node = Node(_title(title), pid, cycle=pid in seen)
            child = TreeNode(node, [])
            parent.children.append(child)
            budget -= 1
            if not node.cycle:
                seen.add(pid)
                nxt.append(child)
        level = nxt
    if level:  # the depth bound: say whether more lies below (one query)
        below = set(
            db.session.scalars(
                db.select(ConceptStructure.genus)
                .where(ConceptStructure.genus.in_([t.node.title.dbkey for t in level]))
                .distinct()
            )
        )
        for leaf in level:
            leaf.more = leaf.more or leaf.node.title.dbkey in below
    return root


def orphans(limit: int = 100, after: str = "") -> tuple[list[tuple[Node, str | None]], bool]:
    """Concepts without a genus, or whose genus has no page: (node, genus dbkey), by title."""
    limit = max(1, min(limit, MAX_CHILDREN))
    target = aliased(Page)
    rows = db.session.execute(
        db.select(Page.id, Page.title, ConceptStructure.genus)
        .join(ConceptStructure, ConceptStructure.page_id == Page.id)
        .outerjoin(target, and_(target.namespace == titles.MAIN, target.title == ConceptStructure.genus))
        .where(
            ConceptStructure.is_concept.is_(True),
            Page.namespace == titles.MAIN,
            Page.title > after,
            target.id.is_(None),
        )
        .order_by(Page.title)
        .limit(limit + 1)
    ).all()
    return [(Node(_title(t), pid), g) for pid, t, g in rows[:limit]], len(rows) > limit
