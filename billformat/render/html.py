"""The bill as one self-contained HTML page.

A layout folder's ``template.html`` runs in Jinja2's immutable sandbox with
autoescape on: a template sees only the bill's view (plain, already
formatted text), cannot reach Python internals or the file system, and every
value it prints is escaped.  The sandbox also holds the template to a budget,
so that no template can exhaust memory or time (see "The template's limits"
below).  The built-in layouts' templates, billformat's own, run unsandboxed
(autoescape still on).  The page has its CSS inline, its logo (if any) as a
data URI, no scripts and no external requests.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import ItemsView, KeysView, ValuesView
from contextvars import ContextVar
from functools import cache, lru_cache, partial, wraps
from itertools import chain, islice

from jinja2 import (
    DictLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
    pass_context,
    pass_environment,
    pass_eval_context,
)
from jinja2.compiler import CodeGenerator
from jinja2.filters import make_attrgetter
from jinja2.runtime import BlockReference, LoopContext, Macro, markup_join, str_join
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    SecurityError,
    safe_range,
)
from jinja2.utils import Namespace, _PassArg
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from billformat.bill import Bill
from billformat.layouts import Layout, LayoutError
from billformat.render.view import describe

_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_LOGO_BYTES = 512 * 1024


def render_html(bill: Bill, layout: Layout, details: bool = False, trail: bool = False) -> str:
    """The bill as an HTML page, laid out by ``layout``'s template."""
    template = _template(layout.template, str(layout.folder), layout.built_in)
    view = describe(bill, details=details, trail=trail)
    logo = _logo(layout)
    context = {"style": Markup(_css(layout.style)), "colors": layout.pdf.colors, "logo": logo}
    if layout.built_in:
        return template.render(bill=view, **context)
    budget = _BUDGET.set(Budget(len(bill.ledger.entries)))
    try:
        return template.render(bill=_view_for_template(view), **context)
    except (SecurityError, OverLimit) as error:
        raise LayoutError(f"{layout.folder}: the template is not allowed to do that: {error}") from None
    except TemplateError as error:
        raise LayoutError(f"{layout.folder}: the template failed: {error}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # The template's own expressions: {{ 1/0 }}, {{ range(10**9) }} (the sandbox's cap)...
        raise LayoutError(f"{layout.folder}: the template failed: {type(error).__name__}: "
                          f"{str(error)[:200]}") from None
    except RecursionError:  # a macro that calls itself, a list printed a million deep
        raise LayoutError(f"{layout.folder}: the template nests calls or data too deep") from None
    except MemoryError:
        raise LayoutError(f"{layout.folder}: the template needs more memory than there is") from None
    finally:
        _BUDGET.reset(budget)


@lru_cache(maxsize=16)
def _template(source: str, where: str, built_in: bool = False):
    """The template compiled (cached: the same layout, the same template).

    A layout folder's template runs in a sandbox and sees the view as plain
    dicts.  A built-in layout's template is billformat's own code, shipped
    with it: it runs in a plain environment and reads the view's objects
    directly, which makes the page three times faster.  Either way every
    value is escaped, and ledger text is only ever data, never template.
    """
    if built_in:
        plain = Environment(autoescape=True, loader=DictLoader({}), undefined=StrictUndefined,
                            trim_blocks=True, lstrip_blocks=True)
        return plain.from_string(source)
    try:
        return _sandbox().from_string(source)
    except TemplateSyntaxError as error:
        raise LayoutError(f"{where}/template.html:{error.lineno}: {error.message}") from None
    except (RecursionError, SyntaxError):  # ((((...)))) or {% if %} thousands deep
        raise LayoutError(f"{where}/template.html: nested too deep to compile") from None


# ---------------------------------------------------------------------------
# The template's limits
#
# A layout folder's template may make and do, in one render, far more than
# any layout needs and far less than would exhaust the machine.  What it makes
# is checked as it is made: a text or list of more than MAX_TEXT characters or
# items (from a method, a filter, an operator or ``~``), a whole number wider
# than MAX_INT_BITS.  Where a call can make far more than it is given (padding
# to a width, repeating, replacing, joining, printing a list that holds one
# long text a million times) the size is worked out and refused before
# anything is made: ``{{ 'x'|center(2000000000) }}`` never asks for 2 GB.  And
# each render has a budget, larger for a longer bill: steps (a turn of a loop;
# a call, STEPS_PER_MACRO for a macro's; a step for each number a ``range()``
# holds, and for every CHARACTERS_PER_STEP characters or ITEMS_PER_STEP items
# a call or an operator makes), characters written (into the page, a macro or
# a ``{% set %}`` block), and seconds.  ``lipsum`` is gone.

MAX_POWER = 256  # the exponent of **
MAX_REPEAT = 1_000_000  # the items of "x" * n or [x] * n, a batch or the slices a filter makes
MAX_TEXT = 8_000_000  # the characters of one text, or the items of one list, the template makes
MAX_INT_BITS = 65_536  # the width of a whole number it makes (about 19,700 digits)
CHARACTERS_PER_STEP = 256  # about the work of a loop's turn: copying so many characters,
ITEMS_PER_STEP = 16  # or so many items of a list
STEPS_PER_MACRO = 16  # a macro's call is as much work as so many turns of a loop
# A render's budget: the first for any bill, and the second more for each of
# its entries.  A copy of ``standard`` or ``detailed`` with details and trail
# takes about 2 steps, writes about 230 characters and 25 µs an entry (a
# 20,000-entry bill: 0.5 s in the sandbox).
MAX_STEPS, STEPS_PER_ENTRY = 1_000_000, 100
MAX_WRITTEN, WRITTEN_PER_ENTRY = 32_000_000, 2_000
MAX_SECONDS, SECONDS_PER_ENTRY = 5.0, 0.001
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")
_NESTED = (list, tuple, set, frozenset, KeysView, ValuesView, ItemsView)
_MAX_DEPTH = 1_000  # Python's repr() gives up about here too
_END = object()


class OverLimit(Exception):
    """A layout folder's template went past one of its limits."""


class Budget:
    """What one render of a layout folder's template may still spend."""

    def __init__(self, entries: int) -> None:
        self.steps = self.allowed_steps = MAX_STEPS + STEPS_PER_ENTRY * entries
        self.characters = self.allowed_characters = MAX_WRITTEN + WRITTEN_PER_ENTRY * entries
        self.seconds = MAX_SECONDS + SECONDS_PER_ENTRY * entries
        self.deadline = time.monotonic() + self.seconds

    def spend(self, steps: int) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise OverLimit(f"it takes more than {self.allowed_steps:,} steps for this bill "
                            "(loop turns, calls, numbers in range(), characters made)")
        if time.monotonic() > self.deadline:
            raise OverLimit(f"it runs longer than {self.seconds:.1f} seconds for this bill")

    def write(self, characters: int) -> None:
        self.characters -= characters
        if self.characters < 0:
            raise OverLimit(f"it writes more than {self.allowed_characters:,} characters for this bill")


# The budget of the render under way (None while a template compiles).
_BUDGET: ContextVar[Budget | None] = ContextVar("billformat_template_budget", default=None)


def _spend(steps: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.spend(steps)


def _wrote(characters: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.write(characters)


def _made(value):
    """``value``, just made by the template, checked against the caps and paid for."""
    if isinstance(value, (str, bytes)):
        _check_size(len(value))
        _spend(len(value) // CHARACTERS_PER_STEP)
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        _check_size(len(value))
        _spend(len(value) // ITEMS_PER_STEP)
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise OverLimit(f"it makes a number wider than {MAX_INT_BITS:,} bits")
    return value


def _check_size(size) -> None:
    """Refuse a text or list of ``size`` before it is made."""
    if isinstance(size, int) and size > MAX_TEXT:
        raise OverLimit(f"it makes a text or list longer than {MAX_TEXT:,} characters or items")


def _check_repeat(times) -> None:
    if isinstance(times, int) and times > MAX_REPEAT:
        raise OverLimit(f"repeating to more than {MAX_REPEAT:,} items is not allowed")


def _printed(value, indent: int = 0) -> int:
    """About how many characters ``str(value)`` makes (with ``indent`` more a
    line for each level, as ``tojson`` indents), counted without making it: a
    list holding one long text a million times counts it a million times.
    Counting stops a little past MAX_TEXT."""
    if isinstance(value, (str, bytes)):
        return len(value)
    total, stack = 0, [iter((value,))]
    while stack and total <= MAX_TEXT:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            continue
        total += 2 + indent * len(stack)
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3
        elif not isinstance(item, (dict, Namespace, *_NESTED)):
            total += 24  # a float, None, an object: about as long as a float's digits
        elif len(stack) > _MAX_DEPTH:
            raise OverLimit(f"it prints data nested deeper than {_MAX_DEPTH:,} levels")
        elif isinstance(item, dict):
            stack.append(chain.from_iterable(item.items()))
        elif isinstance(item, Namespace):
            stack.append(chain.from_iterable(item._Namespace__attrs.items()))
        else:
            stack.append(iter(item))
    return total


def _check_printed(value, *arguments, indent: int = 0, **named):
    """``value``, refused if it or an argument would print more than MAX_TEXT characters."""
    for argument in chain((value,), arguments, named.values()):
        _check_size(_printed(argument, indent))
    return value


def _listed(items) -> list | str | tuple:
    """``items`` as a sequence to measure, refused past MAX_TEXT items."""
    if isinstance(items, (str, list, tuple)):
        return items
    listed = list(islice(items, MAX_TEXT + 1))
    _check_size(len(listed))
    return listed


def _replaced(text, old, new, count=-1) -> int:
    """The length of ``text.replace(old, new, count)``, worked out without making it."""
    if not (isinstance(old, type(text)) and isinstance(new, type(text))):
        return len(text)  # replace() refuses them itself
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _check_percent(text, values) -> None:
    """Refuse ``text % values`` before it is made if its widths and values print too much."""
    if not isinstance(text, (str, bytes)):
        return  # a number's remainder
    specs = _PERCENT.findall(text if isinstance(text, str) else text.decode("latin-1"))
    given = tuple(values.values()) if isinstance(values, dict) else (
        values if isinstance(values, tuple) else (values,))
    size = len(text)
    for number in chain.from_iterable(specs):  # each width and precision
        if number.isdigit():
            size += int(number) if len(number) < 10 else MAX_TEXT + 1
    if any("*" in spec for spec in specs):  # a width or precision given as a value
        size += sum(value for value in given if isinstance(value, int) and value > 0)
    times = len(specs) if isinstance(values, dict) else 1  # a name may be used again and again
    for value in given:
        size += times * _printed(value)
        _check_size(size)
    _check_size(size)


def _check_method(owner, name: str, args: tuple, named: dict) -> tuple:
    """The arguments of a method of a text (or ``int.to_bytes``), checked for
    what the call would make; an iterable to join comes back as a list."""
    if isinstance(owner, int):
        if name == "to_bytes":
            _check_size(args[0] if args else named.get("length"))
        return args
    _check_printed(owner, *args, **named)  # Markup's methods print their arguments
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _check_size(args[0])
    elif name == "expandtabs":
        tabsize = args[0] if args else named.get("tabsize", 8)
        if isinstance(tabsize, int):
            _check_size(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * tabsize)
    elif name == "replace" and len(args) >= 2:
        _check_size(_replaced(owner, *args[:3]))
    elif name == "join" and args:
        items = _listed(args[0])
        _check_size(len(owner) * max(len(items) - 1, 0) + sum(_printed(item) for item in items))
        args = (items, *args[1:])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((len(value) for value in args[0].values() if isinstance(value, str)), default=1)
        _check_size(len(owner) * longest)
    return args


# What a filter is given, checked before it runs where it could make far more.
def _check_center(value, width=80, *_, **__):
    _check_size(width)
    return value


def _check_indent(text, width=4, *_, **__):
    lines = text.count("\n") + 1 if isinstance(text, str) else _printed(text)
    _check_size(_printed(text) + lines * (len(width) if isinstance(width, str) else width))
    return text


def _check_replace(text, old, new, count=None, *_, **__):
    _check_size(_replaced(str(text), str(old), str(new), -1 if count is None else count))
    return text


def _check_format(text, *args, **named):
    _check_percent(str(text), named or args)
    return text


def _check_wordwrap(value, width=79, break_long_words=True, wrapstring=None, *_, **__):
    if isinstance(width, int):
        text = str(value)
        lines = 2 * len(text) // max(width, 1) + text.count("\n") + 1
        _check_size(len(text) + lines * len(str(wrapstring or "\n")))
    return value


def _check_urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None, *_, **__):
    length = len(str(value))
    links = length // 4 + 1  # "a.io" is the shortest
    _check_size(3 * length + links * (80 + len(str(target or "")) + len(str(rel or ""))))
    return value


def _check_tojson(value, indent=None, *_, **__):
    return _check_printed(value, indent=len(indent) if isinstance(indent, str) else int(indent or 0))


def _check_join(items, separator="", attribute=None, *_, **__):
    items = _listed(items)
    _check_size(len(str(separator)) * max(len(items) - 1, 0) + sum(_printed(item) for item in items))
    return items


def _check_pieces(items, count, *_, **__):
    _check_repeat(count)
    return items


_FILTER_CHECKS = {
    "center": _check_center, "indent": _check_indent, "replace": _check_replace,
    "format": _check_format, "wordwrap": _check_wordwrap, "urlize": _check_urlize,
    "tojson": _check_tojson, "pprint": partial(_check_printed, indent=1), "join": _check_join,
    "batch": _check_pieces, "slice": _check_pieces,
}
# The filters that make text of what they are given (a list given to one is printed).
_TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower",
    "replace", "safe", "string", "striptags", "title", "trim", "truncate", "upper",
    "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr",
})


def _capped_filter(name: str, function):
    """The filter ``function`` with what it is given checked before it runs,
    what it makes checked after, and its use paid for.  It takes the context
    (never run while the template compiles, where no budget is counting)."""
    checks = ([_check_printed] if name in _TEXT_FILTERS else []) + (
        [_FILTER_CHECKS[name]] if name in _FILTER_CHECKS else [])
    passes = _PassArg.from_obj(function)

    @pass_context
    @wraps(function)
    def capped(context, value, *args, **named):
        _spend(1)
        for check in checks:
            value = check(value, *args, **named)
        if passes is _PassArg.context:
            return _made(function(context, value, *args, **named))
        if passes is _PassArg.eval_context:
            return _made(function(context.eval_ctx, value, *args, **named))
        if passes is _PassArg.environment:
            return _made(function(context.environment, value, *args, **named))
        return _made(function(value, *args, **named))

    return capped


@pass_environment
def _sum(environment, items, attribute=None, start=0):
    """The ``sum`` filter, each partial sum checked: ``sum(start=[])`` adds lists."""
    if attribute is not None:
        items = map(make_attrgetter(environment, attribute), items)
    total = start
    for item in items:
        total = _made(total + item)
    return total


def _counted(items):
    """``items`` with each turn of a loop over them paid for."""
    budget = _BUDGET.get()
    return items if budget is None else _turns(items, budget)


def _turns(items, budget: Budget):
    spend = budget.spend
    for item in items:
        spend(1)
        yield item


def _range(*args) -> range:
    """``range()``, as the sandbox caps it, paid for by its length."""
    numbers = safe_range(*args)
    _spend(len(numbers))
    return numbers


@pass_eval_context
def _joined(eval_ctx, parts: tuple) -> str:
    """``a ~ b``: refused before it is made when longer than MAX_TEXT."""
    size = 0
    for part in parts:
        size += _printed(part)
        _check_size(size)
    return (markup_join if eval_ctx.autoescape else str_join)(parts)


@pass_eval_context
def _finalize(eval_ctx, value):
    """Each value a template prints, counted against the characters it may
    write.  (Taking ``eval_ctx`` keeps Jinja2 from printing constants at
    compile time, where no budget counts them.)"""
    size = _printed(value)
    if not isinstance(value, str):  # a text is what it is; a list is printed now
        _check_size(size)
    _wrote(size)
    return value


class _Metering(NodeTransformer):
    """Sends each loop's turns and each ``~`` through the environment's checks."""

    def visit_For(self, node):
        node = self.generic_visit(node)
        node.iter = _call_environment("counted", node.iter)
        return node

    def visit_Concat(self, node):
        node = self.generic_visit(node)
        return _call_environment("joined", nodes.Tuple(node.nodes, "load", lineno=node.lineno))


def _call_environment(name: str, argument):
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=argument.lineno), [argument], [],
                      None, None, lineno=argument.lineno)


class _MeteredCode(CodeGenerator):
    """Compiles a template with its loops and ``~`` metered, and the literal
    text of each output counted as it is written."""

    def visit_Template(self, node, frame=None):
        _Metering().visit(node)
        node.set_environment(self.environment)
        super().visit_Template(node, frame)

    def visit_Output(self, node, frame):
        literal = sum(len(child.data) for child in node.nodes if isinstance(child, nodes.TemplateData))
        if literal:
            self.writeline(f"environment.wrote({literal})")
        super().visit_Output(node, frame)


class _Counting:
    """A formatter that checks each field's width and value before it is
    formatted, and counts the text made: ``'{:>2000000000}'.format('x')``."""

    made = 0

    def convert_field(self, value, conversion):
        _check_printed(value)
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        _check_printed(value)
        for number in re.findall(r"\d+", format_spec):
            _check_size(int(number) if len(number) < 10 else MAX_TEXT + 1)
        text = super().format_field(value, format_spec)
        self.made += len(text)
        _check_size(self.made)
        return text


class _CountingFormatter(_Counting, SandboxedFormatter):
    pass


class _CountingEscapeFormatter(_Counting, SandboxedEscapeFormatter):
    pass


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, holding a template to the limits above."""

    intercepted_binops = frozenset({"+", "-", "*", "**", "%"})
    code_generator_class = _MeteredCode

    def __init__(self, **options) -> None:
        super().__init__(finalize=_finalize, **options)
        self.globals["range"] = _range
        del self.globals["lipsum"]  # a million paragraphs of Latin for the asking
        self.filters["sum"] = _sum
        self.filters = {name: _capped_filter(name, function) for name, function in self.filters.items()}
        # What the compiled template calls (see _MeteredCode).
        self.counted, self.joined, self.wrote = _counted, _joined, _wrote

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int):
            if abs(right) > MAX_POWER:
                raise SecurityError(f"a power above {MAX_POWER} is not allowed")
            if isinstance(left, int) and abs(left).bit_length() * right > MAX_INT_BITS:
                raise OverLimit(f"it makes a number wider than {MAX_INT_BITS:,} bits")
        elif operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (isinstance(sequence, (str, bytes, list, tuple)) and isinstance(times, int)
                        and len(sequence) * times > MAX_REPEAT):
                    raise SecurityError(f"repeating to more than {MAX_REPEAT} items is not allowed")
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1):
                raise OverLimit(f"it makes a number wider than {MAX_INT_BITS:,} bits")
        elif operator == "+" and all(isinstance(side, (str, bytes, list, tuple)) for side in (left, right)):
            _check_size(len(left) + len(right))
        elif operator == "%":
            _check_percent(left, right)
        return _made(super().call_binop(context, operator, left, right))

    def call(self, context, function, /, *args, **named):
        _spend(STEPS_PER_MACRO if isinstance(function, Macro) else 1)
        if isinstance(function, LoopContext) and args:  # loop(children) in a recursive loop
            args = (_counted(args[0]), *args[1:])
        owner = getattr(function, "__self__", None)
        if isinstance(owner, (str, bytes, int)):
            given = {key: value for key, value in named.items() if not key.startswith("_")}
            args = _check_method(owner, getattr(function, "__name__", ""), args, given)
        made = super().call(context, function, *args, **named)
        if isinstance(function, (Macro, BlockReference, LoopContext)):
            return made  # the template's own output, counted as it was written
        return _made(made)

    def wrap_str_format(self, value):
        """``str.format`` and ``format_map`` as Jinja2's sandbox makes them,
        but with a formatter that checks and counts."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text, is_map = value.__self__, value.__name__ == "format_map"

        def format(*args, **named):
            if is_map:
                if named or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, named = (), args[0]
            if isinstance(text, Markup):
                formatter = _CountingEscapeFormatter(self, escape=text.escape)
            else:
                formatter = _CountingFormatter(self)
            return type(text)(formatter.vformat(text, args, named))

        return wraps(value)(format)


@cache
def _sandbox() -> Sandbox:
    """The environment layout folders' templates run in, made once."""
    return Sandbox(
        autoescape=True,
        loader=DictLoader({}),  # no include, import or extends can reach a file
        undefined=StrictUndefined,  # a mistyped or forbidden name fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _view_for_template(view):
    """The view as plain dicts, tuples and strings: nothing with methods to call.

    What ``dataclasses.asdict`` makes of it (a test holds them equal), built
    without its deep copy of every string, which cost half the page.
    (Plain dicts are also what the sandbox reads fastest: ``row.label`` on a
    dict skips the sandbox's checks of an attribute.)
    """
    return _plain(view)


def _plain(value):
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is tuple or kind is list:
        return kind([_plain(item) for item in value])
    if kind is dict:
        return {_plain(key): _plain(item) for key, item in value.items()}
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    import copy

    return copy.deepcopy(value)


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    import dataclasses

    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(field.name for field in dataclasses.fields(kind))


def _css(style: str) -> str:
    """The layout's CSS, unable to close its ``<style>`` element."""
    return style.replace("<", "\\3c ")


def _logo(layout: Layout) -> str | None:
    """The layout's logo as a ``data:`` URI, so the page makes no request."""
    path = layout.logo
    if path is None:
        return None
    kind = _IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        raise LayoutError(f"{path}: a logo must be one of {', '.join(sorted(_IMAGE_TYPES))}")
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        raise LayoutError(f"{path}: a logo may be at most {MAX_LOGO_BYTES} bytes")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
