"""The pages and API endpoints the benchmark measures, and who requests each.

Each entry names a URL (so renaming a route breaks `accord/tests/test_bench_smoke.py`, not the
benchmark silently), the demo account that opens it, and the ids it needs. An id is looked up in
the seeded database at run time: `person_id:leader` is the person behind the `leader` account.
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
    query: str = ""
    api: bool = False


PAGES: tuple[Page, ...] = (
    Page("home", "web:home", "officer"),
    Page("people list", "web:people", "officer"),
    Page("people search", "web:people", "officer", query="q=smith"),
    Page("person (member)", "web:person", "officer", person_of={"person_id": "leader"}),
    Page("person (officer)", "web:person", "officer", person_of={"person_id": "director"}),
    Page("groups", "web:groups", "officer"),
    Page("divisions", "web:divisions", "officer"),
    Page("committees", "web:committees", "officer"),
    Page("statutory officers", "web:statutory", "officer"),
    Page("protocol rules", "web:rules", "officer"),
    Page("cases list", "web:cases", "officer"),
    Page("start a case", "web:case_new", "officer"),
    Page("start a case (subject)", "web:case_new", "officer", query="procedure=officer_concern"),
    Page("your relationships", "web:relationships", "officer"),
    Page("register of relationships", "web:relationships_all", "monitoring-officer"),
    Page("concerns list", "web:concern_list", "officer"),
    Page("concerns list (handler)", "web:concern_list", "monitoring-officer"),
    Page("raise a concern", "web:concern_new", "officer"),
    Page("concerns register", "web:concern_register", "monitoring-officer"),
    Page("concerns register csv", "web:concern_register_csv", "monitoring-officer"),
    Page("manage directory", "web:directory_admin", "democratic-services"),
    Page("accounts list", "web:account_admin_list", "democratic-services"),
    Page("audit list", "web:audit_events", "monitoring-officer"),
    Page("api me", "api:me", "officer", api=True),
    Page("api people", "api:people", "officer", api=True),
    Page("api people search", "api:people", "officer", query="q=smith", api=True),
    Page("api divisions", "api:divisions", "officer", api=True),
    Page("api statutory officers", "api:statutory_officers", "officer", api=True),
    Page("api audit events", "api:events", "monitoring-officer", api=True),
    Page("api rules", "api:rules_in_force", "officer", api=True),
    Page("api cases", "api:case_list", "officer", api=True),
    Page("api relationships", "api:relationship_list", "monitoring-officer", api=True),
    Page("api concerns", "api:concern_list", "officer", api=True),
    Page("api concerns register", "api:concern_register_list", "monitoring-officer", api=True),
)
