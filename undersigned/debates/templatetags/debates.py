"""Debate helpers for templates: `{{ text|debate_markdown }}` (the project's one sanitiser)
and `{% debates_of case as debates %}` (for links from the case and petition pages)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from undersigned.campaigns.markdown import render_markdown
from undersigned.campaigns.models import Case
from undersigned.debates import selectors

register = template.Library()


@register.filter
def debate_markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag
def debates_of(case: Case) -> list:
    return selectors.debates_of(case)
