from django.contrib import admin

from guilde.initiatives.models import Absence, Challenge, CheckIn, Initiative, Pledge


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "pillar", "status", "vote_count", "created_at"]
    list_filter = ["status", "pillar"]
    search_fields = ["title"]
    raw_id_fields = ["author", "decided_by", "merged_into"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "pillar", "status", "rank", "effort_hours", "target_date", "is_archived"]
    list_filter = ["status", "pillar", "is_archived", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["lead", "challenge", "created_by"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["member", "initiative", "minutes_per_week", "start", "end"]
    raw_id_fields = ["member", "initiative"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["initiative", "author", "minutes_spent", "week"]
    raw_id_fields = ["initiative", "author"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["member", "start", "end"]
    raw_id_fields = ["member"]
