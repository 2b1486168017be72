from django.urls import path

app_name = "rituals"
urlpatterns: list = []
