"""Two submissions of one address at the same instant leave one row."""

import threading

import pytest
from django.db import connection

from tests.factories import make_petition
from undersigned.signatures.models import Signature
from undersigned.signatures.services import sign_petition


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_submissions_of_one_address_leave_one_row(attempt):
    petition = make_petition()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(email: str) -> None:
        try:
            barrier.wait(timeout=10)
            sign_petition(petition, name="Jane", email=email, country="DE",
                          updates_opt_in=False, language="en")  # fmt: skip
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(email,))
        for email in ("Jane.Doe+a@gmail.com", "janedoe@googlemail.com")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Signature.objects.filter(petition=petition).count() == 1
