from django.urls import path

app_name = "initiatives"
urlpatterns: list = []
