from django.urls import path

from .views import health, inbox, messages

app_name = "interaction"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("export.xlsx", inbox.inbox_export, name="inbox_export"),
    path("new/", inbox.message_new, name="message_new"),
    path("import/", inbox.message_import, name="message_import"),
    path("<int:message_id>/", messages.message_detail, name="message"),
    path("<int:message_id>/assign/", messages.message_assign, name="message_assign"),
    path("<int:message_id>/return/", messages.message_return, name="message_return"),
    path("<int:message_id>/transfer/", messages.message_transfer, name="message_transfer"),
    path("<int:message_id>/close/", messages.message_close, name="message_close"),
    path("<int:message_id>/reply/", messages.reply_save, name="reply_save"),
    path("<int:message_id>/suggested/", messages.reply_suggested, name="reply_suggested"),
    path("replies/<int:reply_id>/submit/", messages.reply_submit, name="reply_submit"),
    path("replies/<int:reply_id>/send/", messages.reply_send, name="reply_send"),
    path("replies/<int:reply_id>/elsewhere/", messages.reply_elsewhere, name="reply_elsewhere"),
    path("attachments/<int:attachment_id>/", messages.attachment_download, name="attachment"),
    path("health/", health.health, name="health"),
    path("health/export.xlsx", health.health_export, name="health_export"),
]
