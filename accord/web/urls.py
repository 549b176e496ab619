from django.urls import path

from accord.web import directory_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("directory/", directory_views.people, name="people"),
    path("directory/people/<int:person_id>/", directory_views.person, name="person"),
    path("directory/groups/", directory_views.groups, name="groups"),
    path("directory/groups/<int:group_id>/", directory_views.group, name="group"),
    path("directory/divisions/", directory_views.divisions, name="divisions"),
    path("directory/divisions/<int:division_id>/", directory_views.division, name="division"),
    path("directory/committees/", directory_views.committees, name="committees"),
    path("directory/committees/<int:committee_id>/", directory_views.committee, name="committee"),
    path("directory/statutory-officers/", directory_views.statutory, name="statutory"),
]
