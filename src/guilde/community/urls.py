from django.urls import path

from guilde.community import views
from guilde.core.pagecache import cached_page

app_name = "community"
urlpatterns = [
    path("members/", cached_page(views.directory), name="directory"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/edit/", views.my_profile_edit, name="my_profile_edit"),
    path("charter/", views.charter, name="charter"),
    path("charter/edit/", views.charter_edit, name="charter_edit"),
    path("pillars/", views.pillars, name="pillars"),
    path("pillars/<int:pk>/", views.pillar_edit, name="pillar_edit"),
    path("pillars/<int:pk>/move/", views.pillar_move, name="pillar_move"),
    path("pillars/<int:pk>/archive/", views.pillar_archive, name="pillar_archive"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/role/", views.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
]
