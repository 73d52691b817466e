"""Rules of the codebase that a reviewer should not have to remember."""

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def python_files(app):
    return [path for path in (PROJECT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("config", ("devtools",)),
        ("helpdesk", ("crisis", "feedback", "devtools")),
        ("crisis", ("feedback", "devtools")),
        ("feedback", ("devtools",)),
    ],
)
def test_dependencies_point_one_way(app, forbidden):
    pattern = re.compile(rf"^\s*(from|import)\s+({'|'.join(forbidden)})\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(PROJECT)) for path in python_files(app) if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_ticket_status_changes_only_inside_the_models():
    # A transition is a verb on the model that owns the state (it guards, records, saves): a
    # ticket's status, a compensation proposal's or an incident update's state.
    assignment = re.compile(r"\.(status|state)\s*=(?!=)")
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for app in ("helpdesk", "crisis", "feedback")
        for path in python_files(app)
        if "models" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if assignment.search(line)
    ]
    assert offenders == []


def lines_matching(pattern: re.Pattern, *, allowed) -> list[str]:
    return [
        f"{path.relative_to(PROJECT)}:{number}"
        for app in ("helpdesk", "crisis", "feedback")
        for path in python_files(app)
        if not allowed(path.relative_to(PROJECT))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def test_audit_rows_are_written_only_by_model_methods():
    # The audit trail records what a model method did, in the same transaction; a view or a
    # service that wrote its own row could record a change that never happened, or miss one.
    audit_row = re.compile(r"AuditEntry(\.objects\.(create|bulk_create|get_or_create)|\()")
    assert lines_matching(audit_row, allowed=lambda path: path.parts[:2] == ("crisis", "models")) == []


def test_a_tickets_queue_assignee_status_and_priority_change_only_in_its_own_methods():
    # Visit.transfer once moved its ticket to another queue by assigning the fields itself.
    ticket_models = {"helpdesk/models/ticket.py", "helpdesk/models/ticket_workspace.py"}
    routing = re.compile(r"\bticket\.(queue|assignee|status|priority)(_id)?\s*(,[^=]*)?=(?!=)")
    assert lines_matching(routing, allowed=lambda path: str(path) in ticket_models) == []


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("helpdesk", ("crisis", "feedback")), ("includes", ("crisis", "feedback")), ("crisis", ("feedback",))],
)
def test_templates_name_no_url_of_an_app_built_on_theirs(folder, forbidden):
    # The menu and the notices come from the installed apps (helpdesk.hooks): a helpdesk
    # template that named a crisis URL would break the site without crisis.
    url_name = re.compile(rf"""["'](?:{"|".join(forbidden)}):""")
    templates = [*(PROJECT / "templates" / folder).rglob("*.html")]
    if folder == "includes":
        templates += [
            PROJECT / "templates" / "base.html",
            *(PROJECT / "templates" / "registration").rglob("*"),
        ]
    offenders = [str(path.relative_to(PROJECT)) for path in templates if url_name.search(path.read_text())]
    assert offenders == []


def test_no_business_rule_hides_in_a_signal():
    # What happens after an event is called where it happens, through a named hook
    # (helpdesk.hooks, crisis.hooks), so the order and the transaction are visible in the code.
    signal = re.compile(r"\b(Signal\(|@receiver\b|(post|pre)_(save|delete)\b)")
    assert lines_matching(signal, allowed=lambda path: False) == []


def source_files(pattern):
    """The project's own files (apps, project package, templates), not the tests or a venv."""
    skipped = {"tests", "locale", "node_modules", "staticfiles", "media", "build"}
    for top in PROJECT.iterdir():
        if top.is_dir() and not top.name.startswith(".") and top.name not in skipped:
            yield from top.rglob(pattern)


# One way to draw a form: crispy-forms with the Bootstrap 5 pack (see helpdesk.forms.layout).
# Bootstrap's classes come from crispy's templates, or from a layout's css_class, never from a
# widget's attrs; no form renderer of our own; no template takes a form's field apart, except a
# field template crispy draws a field with (templates/<app>/fields/, `Field(name, template=…)`).
OTHER_WAYS_IN_PYTHON = re.compile(
    r"""FORM_RENDERER|BootstrapForm|bound_field_class|form_fields\.html"""
    r"""|attrs\s*=\s*\{[^}]*["']class["']|attrs\[["']class["']\]"""
)
OTHER_WAYS_IN_TEMPLATES = re.compile(
    r"form_fields\.html|\{\{\s*field\s*\}\}|\.tag\s*\}\}|\.html_name|\.id_for_label|\.auto_id|form\.data\."
)


def test_forms_are_drawn_one_way():
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for pattern, files in [
            (OTHER_WAYS_IN_PYTHON, (p for p in source_files("*.py") if "migrations" not in p.parts)),
            (OTHER_WAYS_IN_TEMPLATES, (p for p in source_files("*.html") if "fields" not in p.parts)),
        ]
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


# A page's text read with the test client, and the assertions that say its status.
PAGE_TEXT = re.compile(r"\.(content|text)\b|client\w*\.(get|post)\(")
STATUS_ASSERTION = re.compile(r"status_code|assert(Contains|NotContains|Redirects)\b")


def absence_looked_up_in(test: ast.expr) -> ast.expr | None:
    """Where `x not in page` or `page.count(x) == 0` looks; None for any other assertion."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    if isinstance(test.ops[0], ast.NotIn):
        return test.comparators[0]
    left, right = test.left, test.comparators[0]
    counted = (
        isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr == "count"
    )
    if counted and isinstance(test.ops[0], ast.Eq) and isinstance(right, ast.Constant) and right.value == 0:
        return left.func.value
    return None


def asserts_only_absence_on_pages(function: ast.FunctionDef) -> bool:
    """True for a test whose every assertion about a page is that something is not on it, with
    no status asserted: it would pass as well on an error page, a redirect or a 404."""
    assertions = [node for node in ast.walk(function) if isinstance(node, ast.Assert)]
    looked_up_in = [absence_looked_up_in(assertion.test) for assertion in assertions]
    if all(where is None for where in looked_up_in) or STATUS_ASSERTION.search(ast.unparse(function)):
        return False
    pages = set()  # local names holding a page or something read from it
    assignments = sorted((n for n in ast.walk(function) if isinstance(n, ast.Assign)), key=lambda n: n.lineno)

    def reads_a_page(node: ast.AST) -> bool:
        names = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
        return bool(PAGE_TEXT.search(ast.unparse(node)) or names & pages)

    for assignment in assignments:
        if reads_a_page(assignment.value):
            pages |= {
                n.id for target in assignment.targets for n in ast.walk(target) if isinstance(n, ast.Name)
            }
    absent = sum(1 for where in looked_up_in if where is not None and reads_a_page(where))
    present = sum(
        1
        for assertion, where in zip(assertions, looked_up_in, strict=True)
        if where is None and reads_a_page(assertion.test)
    )
    return absent > 0 and present == 0


def functions_named_test(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            yield node


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("def test_x(client):\n    assert 'banner' not in client.get('/').text\n", True),
        (
            "def test_x(client):\n    page = client.get('/').content.decode()\n    assert page.count('x') == 0\n",
            True,
        ),
        (
            "def test_x(client):\n    r = client.get('/')\n    assert r.status_code == 200\n    assert 'x' not in r.text\n",
            False,
        ),
        (
            "def test_x(client):\n    page = client.get('/').text\n    assert 'a' in page\n    assert 'x' not in page\n",
            False,
        ),
        ("def test_x(db):\n    assert 'x' not in ['y']\n", False),
    ],
)
def test_the_absence_rule_tells_a_bare_absence_from_a_checked_page(source, caught):
    assert asserts_only_absence_on_pages(ast.parse(source).body[0]) is caught


def test_a_test_that_only_asserts_absence_on_a_page_also_asserts_its_status():
    # "not in the page" passes on an error page too: the status says the page was drawn at all.
    offenders = [
        f"{path.relative_to(PROJECT)}:{function.lineno} {function.name}"
        for path in sorted((PROJECT / "tests").rglob("test_*.py"))
        for function in functions_named_test(path)
        if asserts_only_absence_on_pages(function)
    ]
    assert offenders == []


def test_the_client_address_is_read_in_one_place():
    # Every per-client limit and record asks helpdesk.client_address, which alone knows which
    # proxies may name the client; a view reading REMOTE_ADDR or a forwarded header itself would
    # let a forged header through, or count every visitor behind the proxy as one.
    raw = re.compile(r"REMOTE_ADDR|FORWARDED_FOR|X-Forwarded-For", re.IGNORECASE)
    assert lines_matching(raw, allowed=lambda path: path == Path("helpdesk/client_address.py")) == []


# Files (attachments, thumbnails, exports) go through Django's storage API only: field.open(),
# storage.save()/open()/exists()/delete(). Then where they live, the server's disk, a shared
# folder or object storage, is the STORAGES setting, and every web and worker machine sees the
# same files. Reading the disk around it (a FieldFile's .path, MEDIA_ROOT, open() or a Path's
# read/write) works on one machine and breaks on the second. Management commands may read and
# write the operator's own files named on their command line.
AROUND_THE_STORAGE = re.compile(
    r"(?i:file|attachment|thumbnail|image|upload|archive|field)\w*\.path\b"  # a FieldFile's place on disk
    r"|\bMEDIA_ROOT\b|\bFileSystemStorage\b"
    r"|(?<![.\w])open\("  # the built-in open(), not field.open() / storage.open()
    r"|\bos\.(path|remove|unlink|rename|listdir|scandir|walk)\b|\bshutil\."
    r"|\.(read_bytes|write_bytes|read_text|write_text|unlink)\("
)


def reaches_around_the_storage(line: str) -> bool:
    code = line.split("#", 1)[0]
    return bool(AROUND_THE_STORAGE.search(code)) and "def open(" not in code


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ("    return FileResponse(open(attachment.file.path, 'rb'))", True),
        ("    data = Path(settings.MEDIA_ROOT, name).read_bytes()", True),
        ("    os.remove(thumbnail.path)", True),
        ("    storage = FileSystemStorage(location='/srv/media')", True),
        ("    with attachment.file.open('rb') as handle:", False),
        ("    with default_storage.open(stored, 'rb') as file:", False),
        ("    if request.path.startswith('/api/'):", False),
        ("    folder = unquote(parts.path.lstrip('/'))", False),
        ("    def open(self):", False),
    ],
)
def test_the_storage_rule_tells_the_storage_api_from_the_disk(line, caught):
    assert reaches_around_the_storage(line) is caught


def test_files_are_read_and_written_through_the_storage_api_only():
    def allowed(path: Path) -> bool:
        return path == Path("config/settings.py") or "commands" in path.parts

    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for app in ("helpdesk", "crisis", "feedback", "config")
        for path in python_files(app)
        if not allowed(path.relative_to(PROJECT))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reaches_around_the_storage(line)
    ]
    assert offenders == []
