"""The writing forms: new/edit work item, comment, status picker (all modal)."""

from kiteboard.ui.screens.forms.comment import CommentForm, comment_draft_key
from kiteboard.ui.screens.forms.status_picker import StatusPicker
from kiteboard.ui.screens.forms.work_item import (
    WorkItemForm,
    edit_item_draft_key,
    new_item_draft_key,
)

__all__ = [
    "CommentForm",
    "StatusPicker",
    "WorkItemForm",
    "comment_draft_key",
    "edit_item_draft_key",
    "new_item_draft_key",
]
