"""Problem and solution trees as people type them, and as pages draw them.

A tree is typed without JavaScript, one box per line, nesting by indentation:

    - Bajo nivel de coordinación de los actores        (a direct cause)
      - Baja disponibilidad de la información           (an indirect cause of the one above)

The same shape serves effects and objectives (an objective's indented lines are its actions).
`tree_parse` turns the text into plain dicts ({"text", "children"}), refusing bad indentation with
a Spanish message naming the line; `tree_text` writes stored nodes back as that text (the edit
form); `tree_build` nests stored `TreeNode` rows for the templates and the API, from one query.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.knowledge.models import TreeNode

MAX_DEPTH = 3
MAX_LINES = 200
MAX_TEXT = 1000
BULLETS = ("- ", "* ", "• ", "– ", "— ")
TAB_WIDTH = 2


def _strip_bullet(text: str) -> str:
    for bullet in BULLETS:
        if text.startswith(bullet):
            return text[len(bullet):].strip()
    return text.strip("-*•–— ").strip() if text in {"-", "*", "•", "–", "—"} else text


def tree_parse(text: str, *, max_depth: int = MAX_DEPTH) -> list[dict]:
    """Indented lines → nested dicts `{"text": str, "children": [...]}`.

    A line indented more than the one above is its child; a line indented like an earlier line is
    that line's sibling. Raises ValidationError (one message per bad line) for a first line that is
    indented, an indentation that matches no open level, a level deeper than `max_depth`, an empty
    bullet or a line that is too long. Blank lines are ignored.
    """
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []  # (indentation, node) of the open branch
    errors: list[str] = []
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if sum(1 for line in lines if line.strip()) > MAX_LINES:
        raise ValidationError(_("Escriba como máximo %(n)d líneas.") % {"n": MAX_LINES})
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        expanded = raw.replace("\t", " " * TAB_WIDTH)
        indent = len(expanded) - len(expanded.lstrip(" "))
        content = _strip_bullet(expanded.strip())
        if not content:
            errors.append(_("Línea %(n)d: está vacía después del guion.") % {"n": number})
            continue
        if len(content) > MAX_TEXT:
            errors.append(_("Línea %(n)d: pasa de %(max)d caracteres.") % {"n": number, "max": MAX_TEXT})
            continue
        node = {"text": content, "children": []}
        if not stack:
            if indent > 0:
                errors.append(_("Línea %(n)d: la primera línea no lleva sangría (espacios al comienzo).")
                              % {"n": number})
                continue
            roots.append(node)
            stack = [(indent, node)]
            continue
        open_branch = list(stack)
        while open_branch and indent < open_branch[-1][0]:
            open_branch.pop()
        closed_some = len(open_branch) < len(stack)
        if open_branch and indent == open_branch[-1][0]:
            open_branch.pop()
            siblings = open_branch[-1][1]["children"] if open_branch else roots
        elif open_branch and indent > open_branch[-1][0] and not closed_some:
            siblings = open_branch[-1][1]["children"]
        else:  # between two open levels: it depends on no line above
            errors.append(_("Línea %(n)d: la sangría no coincide con la de ninguna línea anterior. "
                            "Use los mismos espacios que la línea de la que depende, o más para ponerla "
                            "debajo de la línea anterior.") % {"n": number})
            continue
        if len(open_branch) + 1 > max_depth:
            errors.append(_("Línea %(n)d: el árbol admite %(max)d niveles y esta línea queda en el nivel "
                            "%(lvl)d.") % {"n": number, "max": max_depth, "lvl": len(open_branch) + 1})
            continue
        siblings.append(node)
        stack = [*open_branch, (indent, node)]
    if errors:
        raise ValidationError(errors)
    return roots


def lines_parse(text: str, *, max_lines: int = 50) -> list[str]:
    """One item per non-blank line (bullets dropped): challenges."""
    items = [_strip_bullet(line.strip()) for line in (text or "").splitlines() if line.strip()]
    items = [item for item in items if item]
    if len(items) > max_lines:
        raise ValidationError(_("Escriba como máximo %(n)d líneas.") % {"n": max_lines})
    too_long = [n for n, item in enumerate(items, start=1) if len(item) > MAX_TEXT]
    if too_long:
        raise ValidationError(_("Línea %(n)d: pasa de %(max)d caracteres.") % {"n": too_long[0], "max": MAX_TEXT})
    return items


@dataclass
class Branch:
    """A stored node with its children, for templates (`node.text`, `children`, `number`)."""

    node: TreeNode
    children: list["Branch"] = field(default_factory=list)
    number: int = 0  # 1, 2, … among the roots of its kind
    answers_number: int | None = None  # an objective: the number of the direct cause it answers

    @property
    def text(self) -> str:
        return self.node.text


@dataclass
class Tree:
    """A workshop's tree by kind: roots of each kind with their branches."""

    causes: list[Branch] = field(default_factory=list)
    effects: list[Branch] = field(default_factory=list)
    objectives: list[Branch] = field(default_factory=list)
    actions: list[Branch] = field(default_factory=list)  # actions that hang from no objective
    cause_numbers: dict[int, int] = field(default_factory=dict)  # cause id → its number

    @property
    def has_problem_tree(self) -> bool:
        return bool(self.causes or self.effects)

    @property
    def has_solution_tree(self) -> bool:
        return bool(self.objectives or self.actions)

    def answered_cause(self, branch: Branch) -> int | None:
        """The number of the direct cause an objective answers, if any."""
        return self.cause_numbers.get(branch.node.answers_id) if branch.node.answers_id else None


KIND_FIELD = {TreeNode.Kind.CAUSE: "causes", TreeNode.Kind.EFFECT: "effects",
              TreeNode.Kind.OBJECTIVE: "objectives", TreeNode.Kind.ACTION: "actions"}


def tree_build(nodes: Iterable[TreeNode]) -> Tree:
    """Nest the rows of one workshop (any order) by parent and position."""
    nodes = sorted(nodes, key=lambda n: (n.position, n.pk))
    branches = {n.pk: Branch(node=n) for n in nodes}
    children: dict[int | None, list[Branch]] = defaultdict(list)
    for n in nodes:
        parent = n.parent_id if n.parent_id in branches else None
        children[parent].append(branches[n.pk])
    for pk, branch in branches.items():
        branch.children = children.get(pk, [])
    tree = Tree()
    for branch in children.get(None, []):
        roots = getattr(tree, KIND_FIELD[TreeNode.Kind(branch.node.kind)])
        roots.append(branch)
        branch.number = len(roots)
    tree.cause_numbers = {b.node.pk: b.number for b in tree.causes}
    for branch in tree.objectives:
        branch.answers_number = tree.answered_cause(branch)
    return tree


def tree_text(branches: Iterable[Branch], depth: int = 0) -> str:
    """Stored branches written back as the indented text the form takes."""
    lines = []
    for branch in branches:
        lines.append(f"{'  ' * depth}- {branch.text}")
        if branch.children:
            lines.append(tree_text(branch.children, depth + 1))
    return "\n".join(lines)


def tree_as_data(branches: Iterable[Branch], tree: Tree | None = None) -> list[dict]:
    """Stored branches as plain nested dicts (the API's shape; objectives say which cause they answer)."""
    out = []
    for branch in branches:
        item: dict = {"id": branch.node.pk, "text": branch.text, "unclear": branch.node.unclear}
        if tree is not None and branch.node.kind == TreeNode.Kind.OBJECTIVE:
            item["answers"] = tree.answered_cause(branch)
        item["children"] = tree_as_data(branch.children)
        out.append(item)
    return out
