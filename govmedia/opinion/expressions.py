"""监测方案 expressions: boolean keyword expressions over normalised text (pure, no Django).

Syntax (issue 17):
- a term is a run of characters without spaces, or a phrase in double quotes ("…" or “…”);
- ``NOT`` before an expression negates it; between two expressions it means AND NOT (``A NOT B``);
- ``A NEAR/n B`` holds when an occurrence of A and one of B lie within n characters of each other
  (the characters between them, counted in the normalised text; overlapping occurrences count as 0);
- precedence NOT, NEAR, AND, OR; parentheses group; two expressions side by side mean AND.
Operators are written in capitals, so a lower-case "and" is an ordinary term.

Terms and text are normalised as the screening engine normalises them: traditional folded to
simplified, full width and case folded, and noise (spaces, punctuation, symbols) dropped, so a
term matches across 食 品 安 全 or 食·品·安·全. NEAR distances are therefore counted in letters and
digits, not in spaces or punctuation.
"""

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

from govmedia.screening.engine.folding import NOISE_RUN, fold_chars, fold_term

MAX_LENGTH = 2000
MAX_DEPTH = 40
MAX_NEAR = 1000

Span = tuple[int, int]
Occurrences = Mapping[str, list[Span]]


class ExpressionError(ValueError):
    """A malformed expression; ``position`` is 1-based (the character the user should look at)."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        self.message = f"第 {position} 个字符处{message}" if position else message
        super().__init__(self.message)


def normalise(text: str) -> str:
    """The text as terms are matched in it: folded, noise dropped."""
    return NOISE_RUN.sub("", fold_chars(text))


# --- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    term: str  # normalised
    written: str  # as the user wrote it, for messages and the test box

    def holds(self, found: Occurrences) -> bool:
        return bool(found.get(self.term))

    def spans(self, found: Occurrences) -> list[Span]:
        return found.get(self.term, [])


@dataclass(frozen=True, slots=True)
class Not:
    child: "Node"

    def holds(self, found: Occurrences) -> bool:
        return not self.child.holds(found)


@dataclass(frozen=True, slots=True)
class And:
    children: tuple["Node", ...]

    def holds(self, found: Occurrences) -> bool:
        return all(child.holds(found) for child in self.children)


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple["Node", ...]

    def holds(self, found: Occurrences) -> bool:
        return any(child.holds(found) for child in self.children)

    def spans(self, found: Occurrences) -> list[Span]:
        return sorted({span for child in self.children for span in child.spans(found)})


@dataclass(frozen=True, slots=True)
class Near:
    left: "Node"
    right: "Node"
    distance: int

    def holds(self, found: Occurrences) -> bool:
        return bool(self.spans(found, first_only=True))

    def spans(self, found: Occurrences, *, first_only: bool = False) -> list[Span]:
        """The spans covering an occurrence of each side within the distance."""
        left, right = self.left.spans(found), self.right.spans(found)
        if not left or not right:
            return []
        right = sorted(right)
        starts = [start for start, _ in right]
        longest = max(end - start for start, end in right)
        covered: set[Span] = set()
        for a_start, a_end in left:
            # A right span can only be near if it starts no earlier than this bound.
            first = bisect_left(starts, a_start - self.distance - longest)
            for b_start, b_end in right[first:]:
                if b_start > a_end + self.distance:
                    break
                if _gap((a_start, a_end), (b_start, b_end)) <= self.distance:
                    covered.add((min(a_start, b_start), max(a_end, b_end)))
                    if first_only:
                        return [next(iter(covered))]
        return sorted(covered)


Node = Term | Not | And | Or | Near
POSITIONAL = (Term, Or, Near)  # what NEAR can measure a distance between


def _gap(a: Span, b: Span) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _positional(node: Node) -> bool:
    if isinstance(node, Or):
        return all(_positional(child) for child in node.children)
    return isinstance(node, POSITIONAL)


# --- parsing --------------------------------------------------------------------------------

_QUOTES = {'"': '"', "“": "”"}
_OPEN, _CLOSE = "(（", ")）"
_NEAR = re.compile(r"NEAR/(\d+)\Z")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # term, and, or, not, near, open, close
    text: str
    position: int  # 1-based
    distance: int = 0


def _tokens(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    index, length = 0, len(expression)
    while index < length:
        char = expression[index]
        if char.isspace():
            index += 1
        elif char in _OPEN or char in _CLOSE:
            tokens.append(_Token("open" if char in _OPEN else "close", char, index + 1))
            index += 1
        elif char in _QUOTES:
            end = expression.find(_QUOTES[char], index + 1)
            if end < 0:
                raise ExpressionError("的引号没有配对", index + 1)
            tokens.append(_term(expression[index + 1 : end], index + 1, quoted=True))
            index = end + 1
        else:
            end = index
            while end < length and not _ends_word(expression[end]):
                end += 1
            tokens.append(_word(expression[index:end], index + 1))
            index = end
    return tokens


def _ends_word(char: str) -> bool:
    return char.isspace() or char in _OPEN or char in _CLOSE or char in _QUOTES


def _word(word: str, position: int) -> _Token:
    if word in ("AND", "OR", "NOT"):
        return _Token(word.lower(), word, position)
    if word.startswith("NEAR"):
        near = _NEAR.match(word)
        if not near or int(near.group(1)) > MAX_NEAR:
            raise ExpressionError(
                f"的“{word}”应写作 NEAR/n，n 为 0 至 {MAX_NEAR} 的整数（相隔的字数）", position
            )
        return _Token("near", word, position, int(near.group(1)))
    return _term(word, position, quoted=False)


def _term(written: str, position: int, *, quoted: bool) -> _Token:
    if not fold_term(written):
        what = "短语" if quoted else f"“{written}”"
        raise ExpressionError(f"的{what}不含可匹配的文字（空格、标点与符号不参与匹配）", position)
    return _Token("term", written, position)


class _Parser:
    def __init__(self, tokens: list[_Token], length: int):
        self.tokens = tokens
        self.index = 0
        self.end = length + 1  # where "the end" is reported
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.or_expression()
        token = self.peek()
        if token is not None:  # only a stray ")" stops an expression early
            raise ExpressionError("的右括号没有对应的左括号", token.position)
        return node

    def or_expression(self) -> Node:
        children = [self.and_expression()]
        while (token := self.peek()) and token.kind == "or":
            self.take()
            children.append(self.and_expression(after=token))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expression(self, after: _Token | None = None) -> Node:
        children = [self.near_expression(after)]
        while (token := self.peek()) and token.kind in ("and", "not", "term", "open"):
            if token.kind == "and":
                self.take()
                children.append(self.near_expression(after=token))
            elif token.kind == "not":  # between two expressions: AND NOT
                self.take()
                children.append(Not(self.near_expression(after=token)))
            else:  # side by side
                children.append(self.near_expression())
        return children[0] if len(children) == 1 else And(tuple(children))

    def near_expression(self, after: _Token | None = None) -> Node:
        node = self.unary(after)
        while (token := self.peek()) and token.kind == "near":
            self.take()
            right = self.unary(after=token)
            for side in (node, right):
                if not _positional(side):
                    raise ExpressionError(
                        "的 NEAR 两侧只能是检索词、短语或括号中用 OR 连接的检索词", token.position
                    )
            node = Near(node, right, token.distance)
        return node

    def unary(self, after: _Token | None) -> Node:
        token = self.peek()
        if token is None:
            if after is None:
                raise ExpressionError("监测表达式为空")
            raise ExpressionError(f"的 {after.text} 后缺少检索词", after.position)
        if token.kind == "not":
            self.take()
            return Not(self.unary(after=token))
        if token.kind == "term":
            self.take()
            return Term(fold_term(token.text), token.text)
        if token.kind == "open":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError(f"的括号嵌套超过 {MAX_DEPTH} 层", token.position)
            if (inner := self.peek()) and inner.kind == "close":
                raise ExpressionError("的括号中没有检索词", token.position)
            node = self.or_expression()
            close = self.peek()
            if close is None or close.kind != "close":
                raise ExpressionError("的左括号没有闭合", token.position)
            self.take()
            self.depth -= 1
            return node
        if token.kind == "close":
            if after is None:
                raise ExpressionError("的右括号没有对应的左括号", token.position)
            raise ExpressionError(f"的 {after.text} 后缺少检索词", after.position)
        # An operator where an operand should be.
        raise ExpressionError(f"的 {token.text} 前缺少检索词", token.position)


# --- the public face ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expression:
    source: str
    tree: Node
    terms: frozenset[str]  # normalised terms it looks for

    @classmethod
    def parse(cls, source: str) -> "Expression":
        if len(source) > MAX_LENGTH:
            raise ExpressionError(
                f"监测表达式不能超过 {MAX_LENGTH} 个字符（现有 {len(source)} 个）"
            )
        if not source.strip():
            raise ExpressionError("监测表达式为空")
        tree = _Parser(_tokens(source), len(source)).parse()
        return cls(source, tree, frozenset(_terms(tree)))

    def holds(self, found: Occurrences) -> bool:
        """Whether it holds, given where its terms occur in a normalised text."""
        return self.tree.holds(found)

    def matches(self, text: str) -> bool:
        return self.holds(occurrences(normalise(text), self.terms))

    @property
    def holds_on_nothing(self) -> bool:
        """True for an expression that holds on a text with none of its terms (NOT A): it must
        be evaluated on every text, not only on those that contain a term."""
        return self.tree.holds({})


def _terms(node: Node):
    if isinstance(node, Term):
        yield node.term
    elif isinstance(node, Not):
        yield from _terms(node.child)
    elif isinstance(node, Near):
        yield from _terms(node.left)
        yield from _terms(node.right)
    else:
        for child in node.children:
            yield from _terms(child)


def occurrences(normalised: str, terms) -> dict[str, list[Span]]:
    """Every occurrence (overlapping ones included) of each term in a normalised text."""
    found: dict[str, list[Span]] = {}
    for term in terms:
        start = normalised.find(term)
        while start >= 0:
            found.setdefault(term, []).append((start, start + len(term)))
            start = normalised.find(term, start + 1)
    return found
