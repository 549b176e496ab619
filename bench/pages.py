"""The pages and API endpoints the benchmark measures, and who requests each.

Each entry names a URL (so renaming a route breaks `accord/tests/test_bench_smoke.py`, not the
benchmark silently), the demo account that opens it, and the URL's arguments. An argument is one
of three kinds:

- `person_of`: a directory person's id, looked up in the seeded database at run time
  (`{"person_id": "leader"}` is the person behind the `leader` account);
- `kwargs`: a constant of the seeded demo, given as it is (a protocol document's key, a version's
  label, a paragraph's anchor, a council profile's id: `accord/demo/library.py` seeds them);
- `looked_up`: something the benchmark itself creates, looked up at run time by one of the names
  in `LOOKUPS` (`bench/measure.py` says how each is found).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    username: str
    # URL keyword argument -> demo account whose directory person it names
    person_of: dict[str, str] = field(default_factory=dict)
    # URL keyword argument -> its value, as it is
    kwargs: dict[str, str] = field(default_factory=dict)
    # URL keyword argument -> the name (in LOOKUPS) of what it is looked up as
    looked_up: dict[str, str] = field(default_factory=dict)
    query: str = ""
    api: bool = False


# What `looked_up` may name, each with an example value of the right shape, so that a URL can be
# checked to resolve without a database.
REVIEW_UNDER_WAY = "review under way"  # the review bench/scale.py leaves open, with its draft
LOOKUPS: dict[str, str] = {REVIEW_UNDER_WAY: "00000000-0000-4000-8000-000000000000"}

# The demo council's own protocol, in force, and the edition it replaced (accord/demo/library.py).
PROTOCOL = {"key": "member-officer-protocol"}
IN_FORCE = {**PROTOCOL, "label": "2025"}
COMPARED = "old=pre-2025&new=2025"
PARAGRAPH = {**IN_FORCE, "anchor": "p-so-4-3"}  # cited by the demo profile's rules
COVERAGE = {**IN_FORCE, "profile_id": "leicestershire"}  # the profile written against it
REVIEW = {"public_id": REVIEW_UNDER_WAY}
QUESTION = "question=can+I+forward+an+officer%27s+email+to+a+resident"

PAGES: tuple[Page, ...] = (
    Page("home", "web:home", "officer"),
    Page("people list", "directory:people", "officer"),
    Page("people search", "directory:people", "officer", query="q=smith"),
    Page("person (member)", "directory:person", "officer", person_of={"person_id": "leader"}),
    Page("person (officer)", "directory:person", "officer", person_of={"person_id": "director"}),
    Page("groups", "directory:groups", "officer"),
    Page("divisions", "directory:divisions", "officer"),
    Page("committees", "directory:committees", "officer"),
    Page("statutory officers", "directory:statutory", "officer"),
    Page("protocol rules", "profiles:rules", "officer"),
    Page("cases list", "procedures:cases", "officer"),
    # The Chief Finance Officer is told of every delegated decision the demo and scale open.
    Page("notices", "procedures:notices", "chief-finance-officer"),
    Page("start a case", "procedures:case_new", "officer"),
    Page(
        "start a case (subject)",
        "procedures:case_new",
        "officer",
        query="procedure=officer_concern",
    ),
    Page("your relationships", "registers:relationships", "officer"),
    Page("register of relationships", "registers:relationships_all", "monitoring-officer"),
    Page("concerns list", "concerns:concern_list", "officer"),
    Page("concerns list (handler)", "concerns:concern_list", "monitoring-officer"),
    Page("raise a concern", "concerns:concern_new", "officer"),
    Page("concerns register", "concerns:concern_register", "monitoring-officer"),
    Page("concerns register csv", "concerns:concern_register_csv", "monitoring-officer"),
    Page("manage directory", "directory:directory_admin", "democratic-services"),
    Page("accounts list", "accounts:account_admin_list", "democratic-services"),
    Page("audit list", "audit:audit_events", "monitoring-officer"),
    Page("protocols", "library:protocols", "officer"),
    Page("protocols (keeper)", "library:protocols", "monitoring-officer"),
    Page("protocol version", "library:protocol_version", "officer", kwargs=IN_FORCE),
    Page(
        "protocol version (keeper)",
        "library:protocol_version",
        "monitoring-officer",
        kwargs=IN_FORCE,
    ),
    Page("protocol paragraph", "library:protocol_paragraph", "officer", kwargs=PARAGRAPH),
    Page("protocol search", "library:protocol_search", "officer", query="q=email"),
    # A keeper also finds the drafts, which grow with the scale.
    Page(
        "protocol search (keeper)", "library:protocol_search", "monitoring-officer", query="q=email"
    ),
    Page("protocol ask", "library:protocol_ask", "member", query=QUESTION),
    Page(
        "protocol compare", "library:protocol_compare", "officer", kwargs=PROTOCOL, query=COMPARED
    ),
    Page(
        "protocol compare (keeper)",
        "library:protocol_compare",
        "democratic-services",
        kwargs=PROTOCOL,
        query=COMPARED,
    ),
    Page(
        "protocol compare text",
        "library:protocol_compare_text",
        "officer",
        kwargs=PROTOCOL,
        query=COMPARED,
    ),
    Page("protocol coverage", "library:protocol_coverage", "democratic-services", kwargs=COVERAGE),
    Page("protocol reviews", "library:protocol_reviews", "monitoring-officer"),
    Page("protocol review", "library:protocol_review", "monitoring-officer", looked_up=REVIEW),
    Page(
        "protocol review report",
        "library:protocol_review_report",
        "democratic-services",
        looked_up=REVIEW,
    ),
    Page("acknowledge protocols", "library:protocol_acknowledge", "officer"),
    Page(
        "acknowledgements",
        "library:protocol_acknowledgements",
        "monitoring-officer",
        kwargs=IN_FORCE,
    ),
    Page("api me", "api:me", "officer", api=True),
    Page("api people", "api:people", "officer", api=True),
    Page("api people search", "api:people", "officer", query="q=smith", api=True),
    Page("api divisions", "api:divisions", "officer", api=True),
    Page("api statutory officers", "api:statutory_officers", "officer", api=True),
    Page("api audit events", "api:events", "monitoring-officer", api=True),
    Page("api rules", "api:rules_in_force", "officer", api=True),
    Page("api cases", "api:case_list", "officer", api=True),
    Page("api notices", "api:notice_list", "chief-finance-officer", api=True),
    Page("api relationships", "api:relationship_list", "monitoring-officer", api=True),
    Page("api concerns", "api:concern_list", "officer", api=True),
    Page("api concerns register", "api:concern_register_list", "monitoring-officer", api=True),
    Page("api protocols", "api:protocol_documents", "officer", api=True),
    Page("api protocol version", "api:protocol_version", "officer", kwargs=IN_FORCE, api=True),
    Page("api protocol paragraph", "api:protocol_paragraph", "officer", kwargs=PARAGRAPH, api=True),
    Page(
        "api protocol compare",
        "api:protocol_compare",
        "officer",
        kwargs=PROTOCOL,
        query=COMPARED,
        api=True,
    ),
    Page("api protocol search", "api:protocol_search", "officer", query="q=email", api=True),
    Page("api protocol ask", "api:protocol_ask", "member", query=QUESTION, api=True),
    Page("api protocol reviews", "api:review_list", "monitoring-officer", api=True),
    Page(
        "api protocol review",
        "api:review_detail",
        "monitoring-officer",
        looked_up={"review_id": REVIEW_UNDER_WAY},
        api=True,
    ),
    Page(
        "api protocol review report",
        "api:review_report",
        "democratic-services",
        looked_up={"review_id": REVIEW_UNDER_WAY},
        api=True,
    ),
    Page("api acknowledgements pending", "api:acknowledgements_pending", "officer", api=True),
)
