"""A layout folder cannot exhaust memory, time or the stack, nor read files
outside itself: deep settings, linked files and greedy templates are refused
with a ``LayoutError`` naming the layout, quickly and in little memory."""

import dataclasses
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from ledgers import from_json

import billformat
from billformat.layouts import LayoutError, load_layout
from billformat.render import html

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "tire_shop.json"
BILL = """
    {"currency": "USD", "locale": "en_US", "entries": [{"text": "Coffee", "kind": "item", "amount": "3.50"}]}
"""


def bill():
    return billformat.collapse(from_json(BILL))


def layout_folder(folder: Path, template: str | None = None, settings: str = "{}") -> Path:
    folder.mkdir()
    (folder / "layout.json").write_text(settings)
    if template is not None:
        (folder / "template.html").write_text(template)
    return folder


def cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "billformat", *arguments], check=False, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


# ---------------------------------------------------------------------------
# layout.json nested deeper than settings go


DEEP_SETTINGS = {
    "arrays 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "objects 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "objects 100 deep under pdf": '{"pdf": ' + '{"a":' * 100 + "1" + "}" * 100 + "}",
}


@pytest.mark.parametrize("settings", DEEP_SETTINGS.values(), ids=DEEP_SETTINGS.keys())
def test_settings_nested_deeper_than_any_layout_are_refused_naming_the_file(tmp_path, settings):
    folder = layout_folder(tmp_path / "deep", settings=settings)
    with pytest.raises(LayoutError) as refused:
        load_layout(folder)
    assert str(refused.value).startswith(f"{folder}/layout.json: ")
    assert "nested deeper than 32 levels" in str(refused.value)


def test_settings_three_deep_as_a_layout_has_them_still_load(tmp_path):
    folder = layout_folder(tmp_path / "fine", settings='{"pdf": {"colors": {"accent": "#112233"}}}')
    assert load_layout(folder).pdf.colors.accent == "#112233"


@pytest.mark.parametrize("output", ["bill.pdf", "bill.html"])
def test_the_command_line_refuses_deep_settings_with_a_message_not_a_traceback(tmp_path, output):
    folder = layout_folder(tmp_path / "deep", settings=DEEP_SETTINGS["arrays 100,000 deep"])
    run = cli("render", str(SAMPLE), "--layout", str(folder), "-o", str(tmp_path / output))
    assert run.returncode == 2, run.stderr
    assert f"--layout: {folder}/layout.json: the settings are nested deeper" in run.stderr
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
    assert not (tmp_path / output).exists()


# ---------------------------------------------------------------------------
# Files linked from outside the layout folder


SECRET = "root:x:0:0:the secret outside the layout"


@pytest.mark.parametrize("file_name", ["style.css", "template.html", "layout.json"])
@pytest.mark.parametrize("output", ["html", "pdf"])
def test_a_layout_file_linked_from_outside_the_folder_is_refused_unread(tmp_path, file_name, output):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    folder = tmp_path / "linked"
    folder.mkdir()
    for name, text in (("layout.json", "{}"), ("template.html", "<p>{{ style }}</p>"), ("style.css", "p {}")):
        if name != file_name:
            (folder / name).write_text(text)
    (folder / file_name).symlink_to(secret)
    with pytest.raises(LayoutError, match=f"{file_name} leads outside the layout folder") as refused:
        billformat.render(bill(), output, layout=folder)
    assert str(refused.value).startswith(f"{folder}: ")
    assert SECRET not in str(refused.value)


def test_a_link_to_etc_passwd_as_the_stylesheet_is_refused_by_the_command_line(tmp_path):
    folder = layout_folder(tmp_path / "linked")
    (folder / "style.css").symlink_to("/etc/passwd")
    run = cli("render", str(SAMPLE), "--layout", str(folder), "-o", str(tmp_path / "bill.html"))
    assert run.returncode == 2
    assert f"--layout: {folder}: style.css leads outside the layout folder" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "bill.html").exists()


def test_a_dangling_link_or_a_loop_of_links_is_refused_too(tmp_path):
    dangling = layout_folder(tmp_path / "dangling")
    (dangling / "style.css").symlink_to(tmp_path / "nowhere.css")
    looped = layout_folder(tmp_path / "looped")
    (looped / "style.css").symlink_to(looped / "other.css")
    (looped / "other.css").symlink_to(looped / "style.css")
    for folder in (dangling, looped):
        with pytest.raises(LayoutError, match="style.css leads outside the layout folder"):
            load_layout(folder)


def test_a_link_to_a_file_inside_the_folder_is_read(tmp_path):
    folder = layout_folder(tmp_path / "inside", template="<style>{{ style }}</style>")
    (folder / "css").mkdir()
    (folder / "css" / "house.css").write_text("p { color: teal }")
    (folder / "style.css").symlink_to(folder / "css" / "house.css")
    assert billformat.render(bill(), "html", layout=folder) == "<style>p { color: teal }</style>"


def test_a_layout_folder_that_is_itself_a_link_is_read(tmp_path):
    real = layout_folder(tmp_path / "real", template="<i>{{ style }}</i>")
    (real / "style.css").write_text("i {}")
    (tmp_path / "alias").symlink_to(real)
    assert billformat.render(bill(), "html", layout=tmp_path / "alias") == "<i>i {}</i>"


# ---------------------------------------------------------------------------
# Templates that would exhaust memory or time
#
# Each runs in a child process of its own, its address space capped at
# 1.5 GB and killed after 30 s, so that a regression fails the test rather
# than take the machine's memory: before these limits, the first took 2 GB at
# once, the doubling 64 GB, and the loops ran for hours.

GREEDY = [
    "{{ 'x'|center(2000000000) }}",
    "{{ '{:>2000000000}'.format('x') }}",
    "{{ '{:{}}'.format('x', 2000000000) }}",
    "{{ 'x'.ljust(2000000000) }}",
    "{{ 'x'.rjust(2000000000) }}",
    "{{ 'x'.zfill(2000000000) }}",
    "{{ 'x'.center(2000000000) }}",
    "{{ '\t'.expandtabs(2000000000) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(36) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(36) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{{ lipsum(1000000) }}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in [0] * 1000000 %}{% for b in [0] * 1000000 %}{% endfor %}{% endfor %}",
    "{{ '%2000000000s' % 'x' }}",
    "{{ '%*s' % (2000000000, 'x') }}",
    "{{ '%2000000000s'|format('x') }}",
    "{{ 'a\nb'|indent(2000000000) }}",
    "{{ ('x' * 1000000).replace('x', 'y' * 1000) }}",
    "{{ ('x' * 1000000)|replace('x', 'y' * 1000) }}",
    "{{ ('y' * 100000).join(['a'] * 100000) }}",
    "{{ (['y' * 100000] * 100000)|join }}",
    "{{ ('x' * 1000000).translate({120: 'y' * 1000}) }}",
    "{{ (2).to_bytes(2000000000, 'big') }}",
    "{{ [1]|batch(2000000000, 0)|list }}",
    "{{ ([[1] * 1000] * 100000)|sum(start=[]) }}",
    "{{ {'a': 1}|tojson(indent=2000000000) }}",
    # a list holding one long text a thousand times, printed: a gigabyte of text
    "{{ ['y' * 1000000] * 1000 }}",
    "{{ 'a' ~ ['y' * 1000000] * 1000 }}",
    "{{ (['y' * 1000000] * 1000)|string }}",
    "{{ '%s' % (['y' * 1000000] * 1000,) }}",
    "{{ '{!r}'.format(['y' * 1000000] * 1000) }}",
    # writing a megabyte a hundred thousand times, into the page or a {% set %}
    "{% set big = 'y' * 1000000 %}{% for i in range(100000) %}{{ big }}{% endfor %}",
    "{% set big = 'y' * 1000000 %}{% set x %}{% for i in range(100000) %}{{ big }}{% endfor %}{% endset %}",
    "{% for i in range(100000) %}" + "L" * 100_000 + "{% endfor %}",
    # numbers: powers of powers, squaring in a loop
    "{{ ((10 ** 256) ** 256) ** 256 }}",
    "{% set ns = namespace(n=3) %}{% for i in range(100) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    # the stack
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% set ns = namespace(l=[]) %}{% for i in range(5000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}",
    "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
    "{% if 1 %}" * 200 + "{% endif %}" * 200,
]

CHILD = textwrap.dedent("""
    import json, pathlib, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    import billformat

    bill = billformat.collapse(billformat.read_ledger(sys.argv[1]))
    billformat.render(bill, "html", layout="standard")  # Jinja2 and the view's code loaded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        page = billformat.render(bill, "html", layout=pathlib.Path(sys.argv[2]))
        outcome = ("rendered", f"{len(page)} characters")
    except billformat.LayoutError as error:
        outcome = ("LayoutError", str(error))
    except BaseException as error:
        outcome = (type(error).__name__, str(error)[:200])
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    print(json.dumps([*outcome, seconds, grown]))
""")


@pytest.mark.parametrize("template", GREEDY, ids=[template[:60] for template in GREEDY])
def test_a_greedy_template_is_refused_quickly_in_little_memory(tmp_path, template):
    folder = layout_folder(tmp_path / "greedy", template)
    try:
        run = subprocess.run([sys.executable, "-c", CHILD, str(SAMPLE), str(folder)], check=False,
                             capture_output=True, text=True, cwd=ROOT, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("still rendering after 30 s")
    assert run.returncode == 0, run.stderr[-2000:]
    kind, message, seconds, grown = json.loads(run.stdout)  # grown: the peak of memory, in bytes
    assert kind == "LayoutError", (kind, message)
    assert message.startswith(f"{folder}"), message
    assert len(message) < 400
    assert seconds < 2, seconds
    assert grown < 100 * 1024 * 1024, f"{grown / 1e6:.0f} MB"


def test_the_command_line_refuses_a_greedy_template_with_a_message_not_a_traceback(tmp_path):
    folder = layout_folder(tmp_path / "greedy", template="{{ 'x'|center(2000000000) }}")
    run = cli("render", str(SAMPLE), "--layout", str(folder), "-o", str(tmp_path / "bill.html"))
    assert run.returncode == 2
    assert f"--layout: {folder}: the template is not allowed to do that: it makes a text" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "bill.html").exists()


# ---------------------------------------------------------------------------
# The budget of one render, with small limits


def refusal(template: str, folder: Path) -> str:
    with pytest.raises(LayoutError) as refused:
        billformat.render(bill(), "html", layout=layout_folder(folder, template))
    assert str(refused.value).startswith(f"{folder}: ")
    return str(refused.value)


def test_every_range_of_one_render_draws_on_one_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_STEPS", 1_000)
    monkeypatch.setattr(html, "STEPS_PER_ENTRY", 0)
    one = layout_folder(tmp_path / "one", "{{ range(600)|length }}")
    assert billformat.render(bill(), "html", layout=one) == "600"
    message = refusal("{{ range(600)|length }} {{ range(600)|length }}", tmp_path / "two")
    assert "takes more than 1,000 steps for this bill" in message


def test_each_turn_of_a_loop_is_a_step(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_STEPS", 1_000)
    monkeypatch.setattr(html, "STEPS_PER_ENTRY", 0)
    fits = layout_folder(tmp_path / "fits", "{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}"
                                            "{% endfor %}{% endfor %}ok")
    assert billformat.render(bill(), "html", layout=fits) == "ok"
    nested = ("{% for a in [0] * 40 %}{% for b in [0] * 40 %}{% endfor %}{% endfor %}")
    assert "takes more than 1,000 steps" in refusal(nested, tmp_path / "nested")
    recursive = "{% for x in [[0] * 2000] recursive %}{% if x is iterable %}{{ loop(x) }}{% endif %}{% endfor %}"
    assert "takes more than 1,000 steps" in refusal(recursive, tmp_path / "recursive")
    calls = "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(20) }}"
    assert "takes more than 1,000 steps" in refusal(calls, tmp_path / "calls")


def test_a_render_that_runs_past_its_seconds_is_stopped(tmp_path, monkeypatch):
    # Each turn is one step, but a slow one: only the clock stops it.
    monkeypatch.setattr(html, "MAX_STEPS", 10**12)
    monkeypatch.setattr(html, "MAX_SECONDS", 0.2)
    monkeypatch.setattr(html, "SECONDS_PER_ENTRY", 0)
    start = time.perf_counter()
    slow = "{% set big = 'y' * 100000 %}{% for i in [0] * 1000000 %}{% if 'z' in big %}{% endif %}{% endfor %}"
    assert "runs longer than 0.2 seconds for this bill" in refusal(slow, tmp_path / "slow")
    assert time.perf_counter() - start < 2


def test_what_a_render_writes_is_counted_wherever_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_WRITTEN", 10_000)
    monkeypatch.setattr(html, "WRITTEN_PER_ENTRY", 0)
    for name, template in {
        "page": "{% for i in range(11) %}{{ 'y' * 1000 }}{% endfor %}",
        "literal": "{% for i in range(11) %}" + "L" * 1000 + "{% endfor %}",
        "set block": "{% set x %}{% for i in range(11) %}{{ 'y' * 1000 }}{% endfor %}{% endset %}",
        "macro": "{% macro m() %}{% for i in range(11) %}" + "L" * 1000 + "{% endfor %}{% endmacro %}{{ m() }}",
    }.items():
        assert "writes more than 10,000 characters" in refusal(template, tmp_path / name.replace(" ", "-"))


def test_a_text_a_template_makes_is_capped_however_it_is_made(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_TEXT", 1_000)
    for name, template in {
        "filter": "{{ 'x'|center(1001) }}",
        "method": "{{ 'x'.ljust(1001) }}",
        "format": "{{ '{:>1001}'.format('x') }}",
        "percent": "{{ '%1001s' % 'x' }}",
        "concatenation": "{{ ('x' * 600) ~ ('x' * 600) }}",
        "addition": "{{ ('x' * 600) + ('x' * 600) }}",
        "join": "{{ (['x' * 100] * 11)|join }}",
        "print": "{{ ['x' * 100] * 11 }}",
    }.items():
        assert "makes a text or list longer than 1,000 characters" in refusal(template, tmp_path / name)


def test_lipsum_is_gone_from_the_sandbox(tmp_path):
    assert "'lipsum' is undefined" in refusal("{{ lipsum(1) }}", tmp_path / "lipsum")


# ---------------------------------------------------------------------------
# What is not refused


def test_a_template_within_its_limits_renders_as_before(tmp_path):
    template = (
        "{% macro cell(text) %}<td>{{ text|center(9) }}</td>{% endmacro %}"
        "{% for row in bill.face %}{{ cell(row.label ~ ':' ~ row.amount) }}{% endfor %}"
        "|{{ ['a', 'b']|join(', ') }}|{{ '%05.1f' % 2.5 }}|{{ '{:>4}|{x}'.format('y', x=1) }}"
        "|{{ ('ab' * 3)|replace('b', 'c') }}|{{ [1, 2, 3]|sum }}|{{ range(3)|list }}"
        "|{{ 2 ** 10 }}|{% for x in [[1, 2], [3]] recursive %}{% if x is iterable %}{{ loop(x) }}"
        "{% else %}{{ x }}{% endif %}{% endfor %}|{{ bill.words.total|upper }}"
    )
    folder = layout_folder(tmp_path / "fine", template)
    assert billformat.render(bill(), "html", layout=folder) == (
        "<td>Coffee:$3.50</td>|a, b|002.5|   y|1|acacac|6|[0, 1, 2]|1024|123|TOTAL")


def a_long_ledger(entries: int) -> str:
    lines = [{"id": str(n), "text": f"Part {n}", "kind": "item", "amount": "1.25"} for n in range(entries)]
    return json.dumps({"kind": "repair_order", "currency": "USD", "locale": "en_US", "entries": lines})


def test_a_copy_of_a_built_in_layout_renders_a_long_bill_on_the_allowance_per_entry(monkeypatch):
    # With nothing but the allowance per entry, a long bill in a copy of
    # `detailed` renders, details and trail and all, the same as the built-in.
    monkeypatch.setattr(html, "MAX_STEPS", 0)
    monkeypatch.setattr(html, "MAX_WRITTEN", 0)
    long_bill = billformat.collapse(from_json(a_long_ledger(2_000)))
    built_in = load_layout("detailed")
    copy = dataclasses.replace(built_in, built_in=False)
    page = billformat.render(long_bill, "html", layout=copy, details=True, trail=True)
    assert page == billformat.render(long_bill, "html", layout=built_in, details=True, trail=True)


def test_the_built_in_layouts_run_outside_the_sandbox_and_its_limits(monkeypatch):
    for limit in ("MAX_STEPS", "STEPS_PER_ENTRY", "MAX_WRITTEN", "WRITTEN_PER_ENTRY", "MAX_TEXT"):
        monkeypatch.setattr(html, limit, 0)
    monkeypatch.setattr(html, "MAX_SECONDS", -1.0)
    for name in ("standard", "receipt", "detailed"):
        page = billformat.render(bill(), "html", layout=name, details=True, trail=True)
        assert page.rstrip().endswith("</html>")
