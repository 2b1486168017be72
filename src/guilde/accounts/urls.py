from django.urls import path

from guilde.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("theme/", views.set_theme, name="set_theme"),
    path("invitation/<str:secret>/", views.accept_invitation, name="accept_invitation"),
]
