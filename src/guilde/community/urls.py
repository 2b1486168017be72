from django.urls import path

from guilde.community import views

app_name = "community"
urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("me/", views.my_profile, name="my_profile"),
    path("charter/", views.charter, name="charter"),
]
