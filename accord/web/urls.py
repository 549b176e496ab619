from django.urls import path, register_converter

from accord.web import (
    account_admin_views,
    audit_views,
    case_views,
    concern_views,
    directory_views,
    library_review_views,
    library_search_views,
    library_views,
    registers_views,
    rules_views,
    views,
)
from accord.web import directory_admin_views as manage
from accord.web.converters import IdConverter, TextConverter

register_converter(IdConverter, "id")
register_converter(TextConverter, "text")

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("directory/", directory_views.people, name="people"),
    path("directory/people/<id:person_id>/", directory_views.person, name="person"),
    path("directory/groups/", directory_views.groups, name="groups"),
    path("directory/groups/<id:group_id>/", directory_views.group, name="group"),
    path("directory/divisions/", directory_views.divisions, name="divisions"),
    path("directory/divisions/<id:division_id>/", directory_views.division, name="division"),
    path("directory/committees/", directory_views.committees, name="committees"),
    path("directory/committees/<id:committee_id>/", directory_views.committee, name="committee"),
    path("directory/statutory-officers/", directory_views.statutory, name="statutory"),
    path("directory/manage/", manage.index, name="directory_admin"),
    path("directory/manage/import/", manage.import_upload, name="directory_admin_import"),
    path(
        "directory/manage/import/<text:token>/",
        manage.import_preview,
        name="directory_admin_import_preview",
    ),
    path("directory/manage/people/<id:person_id>/", manage.person, name="directory_admin_person"),
    path(
        "directory/manage/people/<id:person_id>/roles/new/",
        manage.role_appoint,
        name="directory_admin_role_appoint",
    ),
    path(
        "directory/manage/people/<id:person_id>/designations/new/",
        manage.designate,
        name="directory_admin_designate",
    ),
    path(
        "directory/manage/roles/<id:appointment_id>/end/",
        manage.role_end,
        name="directory_admin_role_end",
    ),
    path(
        "directory/manage/designations/<id:designation_id>/end/",
        manage.designation_end,
        name="directory_admin_designation_end",
    ),
    path("directory/manage/absences/new/", manage.absence_record, name="directory_admin_absence"),
    path(
        "directory/manage/committee-members/new/",
        manage.committee_member_add,
        name="directory_admin_committee_member",
    ),
    path(
        "directory/manage/administration/",
        manage.administration_change,
        name="directory_admin_administration",
    ),
    path("rules/", rules_views.rules, name="rules"),
    path(
        "rules/<slug:profile_id>/v<id:version>/",
        rules_views.rules_version,
        name="rules_version",
    ),
    path("protocols/", library_views.protocols, name="protocols"),
    path("protocols/search/", library_search_views.protocol_search, name="protocol_search"),
    path("protocols/ask/", library_search_views.protocol_ask, name="protocol_ask"),
    path("protocols/reviews/", library_review_views.protocol_reviews, name="protocol_reviews"),
    path(
        "protocols/reviews/new/",
        library_review_views.protocol_review_new,
        name="protocol_review_new",
    ),
    path(
        "protocols/reviews/<uuid:public_id>/",
        library_review_views.protocol_review,
        name="protocol_review",
    ),
    path(
        "protocols/reviews/<uuid:public_id>/report/",
        library_review_views.protocol_review_report,
        name="protocol_review_report",
    ),
    path(
        "protocols/reviews/<uuid:public_id>/report.txt",
        library_review_views.protocol_review_report_text,
        name="protocol_review_report_text",
    ),
    path(
        "protocols/acknowledge/",
        library_review_views.protocol_acknowledge,
        name="protocol_acknowledge",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/acknowledgements/",
        library_review_views.protocol_acknowledgements,
        name="protocol_acknowledgements",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/acknowledgements/ask/",
        library_review_views.protocol_acknowledgements_ask,
        name="protocol_acknowledgements_ask",
    ),
    path("protocols/import/", library_views.protocol_import, name="protocol_import"),
    path(
        "protocols/import/<text:token>/",
        library_views.protocol_import_preview,
        name="protocol_import_preview",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/",
        library_views.protocol_version,
        name="protocol_version",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/text/",
        library_views.protocol_version_text,
        name="protocol_version_text",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/p/<slug:anchor>/",
        library_views.protocol_paragraph,
        name="protocol_paragraph",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/coverage/<slug:profile_id>/",
        library_views.protocol_coverage,
        name="protocol_coverage",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/approve/",
        library_views.protocol_approve,
        name="protocol_approve",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/in-force/",
        library_views.protocol_put_in_force,
        name="protocol_put_in_force",
    ),
    path(
        "protocols/<slug:key>/v/<text:label>/withdraw/",
        library_views.protocol_withdraw,
        name="protocol_withdraw",
    ),
    path("protocols/<slug:key>/compare/", library_views.protocol_compare, name="protocol_compare"),
    path(
        "protocols/<slug:key>/compare/text/",
        library_views.protocol_compare_text,
        name="protocol_compare_text",
    ),
    path(
        "protocols/<slug:key>/compare/pdf/",
        library_views.protocol_compare_pdf,
        name="protocol_compare_pdf",
    ),
    path("cases/", case_views.cases, name="cases"),
    path("cases/new/", case_views.case_new, name="case_new"),
    path("cases/<uuid:public_id>/", case_views.case, name="case"),
    path("concerns/", concern_views.concerns, name="concern_list"),
    path("concerns/new/", concern_views.concern_new, name="concern_new"),
    path("concerns/register/", concern_views.concern_register, name="concern_register"),
    path(
        "concerns/register.csv",
        concern_views.concern_register_csv,
        name="concern_register_csv",
    ),
    path("concerns/<uuid:public_id>/", concern_views.concern, name="concern_detail"),
    path("concerns/<uuid:public_id>/act/", concern_views.concern_act, name="concern_act"),
    path(
        "concerns/<uuid:public_id>/consent/",
        concern_views.concern_consent,
        name="concern_consent",
    ),
    path("concerns/<uuid:public_id>/share/", concern_views.concern_share, name="concern_share"),
    path(
        "concerns/<uuid:public_id>/report/",
        concern_views.concern_report,
        name="concern_report",
    ),
    path("registers/relationships/", registers_views.relationships, name="relationships"),
    path(
        "registers/relationships/new/",
        registers_views.relationship_new,
        name="relationship_new",
    ),
    path(
        "registers/relationships/all/",
        registers_views.relationships_all,
        name="relationships_all",
    ),
    path(
        "registers/relationships/<id:relationship_id>/end/",
        registers_views.relationship_end_page,
        name="relationship_end",
    ),
    path("audit/", audit_views.events, name="audit_events"),
    path("audit/events/<id:seq>/", audit_views.event, name="audit_event"),
    path("audit/verify/", audit_views.verify, name="audit_verify"),
    path("audit/checkpoint/", audit_views.checkpoint, name="audit_checkpoint"),
    path("accounts-admin/", account_admin_views.account_list, name="account_admin_list"),
    path("accounts-admin/new/", account_admin_views.account_create, name="account_admin_create"),
    path(
        "accounts-admin/<id:user_id>/",
        account_admin_views.account_detail,
        name="account_admin_detail",
    ),
    path(
        "accounts-admin/<id:user_id>/disable/",
        account_admin_views.account_disable,
        name="account_admin_disable",
    ),
    path(
        "accounts-admin/<id:user_id>/enable/",
        account_admin_views.account_enable,
        name="account_admin_enable",
    ),
]
