"""The directory app's pages, under /directory/ (mounted in accord.urls)."""

from django.urls import path

from accord.directory.views import manage, pages

app_name = "directory"
urlpatterns = [
    path("", pages.people, name="people"),
    path("people/<id:person_id>/", pages.person, name="person"),
    path("groups/", pages.groups, name="groups"),
    path("groups/<id:group_id>/", pages.group, name="group"),
    path("divisions/", pages.divisions, name="divisions"),
    path("divisions/<id:division_id>/", pages.division, name="division"),
    path("committees/", pages.committees, name="committees"),
    path("committees/<id:committee_id>/", pages.committee, name="committee"),
    path("statutory-officers/", pages.statutory, name="statutory"),
    path("manage/", manage.index, name="directory_admin"),
    path("manage/import/", manage.import_upload, name="directory_admin_import"),
    path(
        "manage/import/<text:token>/", manage.import_preview, name="directory_admin_import_preview"
    ),
    path("manage/people/<id:person_id>/", manage.person, name="directory_admin_person"),
    path(
        "manage/people/<id:person_id>/roles/new/",
        manage.role_appoint,
        name="directory_admin_role_appoint",
    ),
    path(
        "manage/people/<id:person_id>/designations/new/",
        manage.designate,
        name="directory_admin_designate",
    ),
    path("manage/roles/<id:appointment_id>/end/", manage.role_end, name="directory_admin_role_end"),
    path(
        "manage/designations/<id:designation_id>/end/",
        manage.designation_end,
        name="directory_admin_designation_end",
    ),
    path("manage/absences/new/", manage.absence_record, name="directory_admin_absence"),
    path(
        "manage/committee-members/new/",
        manage.committee_member_add,
        name="directory_admin_committee_member",
    ),
    path(
        "manage/administration/",
        manage.administration_change,
        name="directory_admin_administration",
    ),
]
