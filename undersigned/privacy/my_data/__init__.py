"""The signer's "manage my data": ask for a link, open a short session, see, take back or erase.

services.py holds the rules; emails.py is the outbox that sends the links (core/outbox.py);
export.py builds the JSON download; views.py and forms.py are the pages under /my-data/.
"""
