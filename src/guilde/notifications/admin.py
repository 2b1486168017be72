from django.contrib import admin

from guilde.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "verb", "created_at", "read_at", "emailed_at"]
    list_filter = ["verb"]
    search_fields = ["title", "recipient__email", "recipient__full_name"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
