"""The update form has a title and a text for each language of settings.LANGUAGES."""

from django.utils import translation

from undersigned.mailings.forms import UpdateForm
from undersigned.mailings.services import translated_fields


def test_the_form_follows_the_languages_setting(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "French")]
    with translation.override("en"):
        form = UpdateForm()
        legends = [legend for legend, _title, _body in form.languages()]
    assert {"title_fr", "body_fr"} <= set(form.fields)
    assert form.fields["title_en"].required and not form.fields["title_fr"].required
    assert legends[0] == "English (required)"
    assert legends[-1] == "French (optional; readers without it see the English)"
    assert translated_fields()[-1] == "body_fr"


def test_the_legends_are_in_the_staff_members_language():
    with translation.override("es"):
        legends = [legend for legend, _title, _body in UpdateForm().languages()]
    assert legends[0] == "Inglés (obligatorio)"
    assert legends[1].startswith("Alemán (opcional")
