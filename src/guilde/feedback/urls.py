from django.urls import path

app_name = "feedback"
urlpatterns: list = []
