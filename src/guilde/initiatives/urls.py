from django.urls import path

from guilde.core.pagecache import cached_page
from guilde.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("board/", cached_page(views.board), name="board"),
    path("new/", views.initiative_create, name="create"),
    path("<int:pk>/", views.initiative_detail, name="initiative"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/move/", views.initiative_move, name="move"),
    path("<int:pk>/archive/", views.initiative_archive, name="archive"),
    path("<int:pk>/delete/", views.initiative_delete, name="delete"),
    path("<int:pk>/pledge/", views.initiative_pledge, name="pledge"),
    path("<int:pk>/check-in/", views.initiative_check_in, name="check_in"),
    path("pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="challenge_edit"),
    path("challenges/<int:pk>/vote/", views.challenge_vote, name="challenge_vote"),
    path("challenges/<int:pk>/comment/", views.challenge_comment, name="challenge_comment"),
    path(
        "challenges/<int:challenge_pk>/comments/<int:pk>/edit/",
        views.challenge_comment_edit,
        name="challenge_comment_edit",
    ),
    path(
        "challenges/<int:challenge_pk>/comments/<int:pk>/delete/",
        views.challenge_comment_delete,
        name="challenge_comment_delete",
    ),
    path("challenges/<int:pk>/decline/", views.challenge_decline, name="challenge_decline"),
    path("challenges/<int:pk>/merge/", views.challenge_merge, name="challenge_merge"),
    path("planner/", cached_page(views.planner_view), name="planner"),
    path("planner/<int:pk>/deprioritise/", views.planner_deprioritise, name="deprioritise"),
    path("planner/<int:pk>/priority/", views.planner_reprioritise, name="reprioritise"),
    path("mine/", cached_page(views.my_commitments), name="mine"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
]
