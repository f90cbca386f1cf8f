"""Email domains: disposable ones refused, likely typos of big providers suggested.

The disposable list is the `disposable-email-domains` package (bump its pinned version to
update it) plus, optionally, the domains in the file DISPOSABLE_DOMAINS_FILE (one a line,
"#" starts a comment). Both answers are memoised per domain: they sit on the signing path.
"""

from __future__ import annotations

import functools
from pathlib import Path

from disposable_email_domains import blocklist
from django.conf import settings

# Shared by millions of unrelated people, so never rate-limited as a domain (limits.py),
# and the targets of the typo suggestions below.
BIG_FREE_MAIL_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "live.com", "live.co.uk",
        "live.fr", "live.de", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
        "yahoo.es", "yahoo.it", "yahoo.com.br", "ymail.com", "icloud.com", "me.com",
        "mac.com", "aol.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "web.de",
        "t-online.de", "freenet.de", "posteo.de", "mailbox.org", "proton.me",
        "protonmail.com", "pm.me", "tutanota.com", "fastmail.com", "zoho.com", "mail.com",
        "orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr", "libero.it",
        "virgilio.it", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "mail.ru", "yandex.ru",
        "yandex.com", "bol.com.br", "uol.com.br", "terra.com.br", "qq.com", "163.com",
        "126.com", "naver.com", "rediffmail.com",
    }
)  # fmt: skip

# Typos are suggested only towards these: long enough that one slip rarely lands on another
# real domain (short ones like gmx.de or me.com would flag gmx.at, mc.com and the like).
TYPO_TARGETS = (
    "gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com",
    "hotmail.co.uk", "yahoo.co.uk", "protonmail.com", "t-online.de", "orange.fr",
    "hotmail.fr", "yahoo.fr", "laposte.net", "yandex.ru", "aol.com",
)  # fmt: skip


def is_big_free_mail_provider(domain: str) -> bool:
    return domain in BIG_FREE_MAIL_PROVIDERS


@functools.cache
def _extra_disposable_domains(path: str) -> frozenset[str]:
    if not path:
        return frozenset()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    domains = (line.split("#", 1)[0].strip().lower() for line in lines)
    return frozenset(domain for domain in domains if domain)


@functools.lru_cache(maxsize=20_000)
def is_disposable(domain: str) -> bool:
    """True for a throwaway-mail domain or any subdomain of one."""
    extra = _extra_disposable_domains(settings.DISPOSABLE_DOMAINS_FILE)
    parts = domain.lower().split(".")
    candidates = (".".join(parts[i:]) for i in range(len(parts) - 1))
    return any(c in blocklist or c in extra for c in candidates)


@functools.lru_cache(maxsize=20_000)
def suggest_domain(domain: str) -> str | None:
    """The big provider this domain is probably a typo of ("gmial.com" → "gmail.com")."""
    domain = domain.lower()
    if domain in BIG_FREE_MAIL_PROVIDERS or len(domain) < 6:
        return None
    for target in TYPO_TARGETS:
        if abs(len(target) - len(domain)) <= 1 and _one_slip_apart(domain, target):
            return target
    return None


def _one_slip_apart(a: str, b: str) -> bool:
    """One letter wrong, missing, extra, or two neighbours swapped (and a != b)."""
    if a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
