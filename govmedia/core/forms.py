"""Helpers for Django forms shared by the page views."""


def add_service_error(form, exc) -> None:
    """Show a ServiceError on the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
