"""The bill as one self-contained HTML page.

A layout folder's ``template.html`` runs in Jinja2's immutable sandbox with
autoescape on: a template sees only the bill's view (plain, already
formatted text), cannot reach Python internals or the file system, and every
value it prints is escaped.  The built-in layouts' templates, billformat's
own, run unsandboxed (autoescape still on).  The page has its CSS inline,
its logo (if any) as a data URI, no scripts and no external requests.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from billformat.bill import Bill
from billformat.layouts import Layout, LayoutError
from billformat.render.view import describe

_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_LOGO_BYTES = 512 * 1024
# What a template's arithmetic may build: far above any layout's need.
MAX_POWER = 256
MAX_REPEAT = 1_000_000


def render_html(bill: Bill, layout: Layout, details: bool = False, trail: bool = False) -> str:
    """The bill as an HTML page, laid out by ``layout``'s template."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError
    from markupsafe import Markup

    template = _template(layout.template, str(layout.folder), layout.built_in)
    view = describe(bill, details=details, trail=trail)
    if not layout.built_in:
        view = _view_for_template(view)
    logo = _logo(layout)
    try:
        return template.render(bill=view, style=Markup(_css(layout.style)),
                               colors=layout.pdf.colors, logo=logo)
    except SecurityError as error:
        raise LayoutError(f"{layout.folder}: the template is not allowed to do that: {error}") from None
    except TemplateError as error:
        raise LayoutError(f"{layout.folder}: the template failed: {error}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # The template's own expressions: {{ 1/0 }}, {{ range(10**9) }} (the sandbox's cap)...
        raise LayoutError(f"{layout.folder}: the template failed: {type(error).__name__}: "
                          f"{str(error)[:200]}") from None


@lru_cache(maxsize=16)
def _template(source: str, where: str, built_in: bool = False):
    """The template compiled (cached: the same layout, the same template).

    A layout folder's template runs in a sandbox and sees the view as plain
    dicts.  A built-in layout's template is billformat's own code, shipped
    with it: it runs in a plain environment and reads the view's objects
    directly, which makes the page three times faster.  Either way every
    value is escaped, and ledger text is only ever data, never template.
    """
    from jinja2 import DictLoader, Environment, StrictUndefined, TemplateSyntaxError
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    if built_in:
        plain = Environment(autoescape=True, loader=DictLoader({}), undefined=StrictUndefined,
                            trim_blocks=True, lstrip_blocks=True)
        return plain.from_string(source)

    class Sandbox(ImmutableSandboxedEnvironment):
        """The sandbox caps ``range()``; this also caps ``*`` and ``**``, so a
        template cannot exhaust memory with ``"x" * 10**10`` or ``9**9**9``."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
                raise SecurityError(f"a power above {MAX_POWER} is not allowed")
            if operator == "*":
                for sequence, times in ((left, right), (right, left)):
                    if (isinstance(sequence, (str, list, tuple)) and isinstance(times, int)
                            and len(sequence) * times > MAX_REPEAT):
                        raise SecurityError(
                            f"repeating to more than {MAX_REPEAT} items is not allowed")
            return super().call_binop(context, operator, left, right)

    environment = Sandbox(
        autoescape=True,
        loader=DictLoader({}),  # no include, import or extends can reach a file
        undefined=StrictUndefined,  # a mistyped or forbidden name fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        return environment.from_string(source)
    except TemplateSyntaxError as error:
        raise LayoutError(f"{where}/template.html:{error.lineno}: {error.message}") from None


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


@lru_cache(maxsize=None)
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
