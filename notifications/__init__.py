"""In-portal notifications, e-mail preferences and daily digests (issue #15).

Layer: above ``juries``, below ``messaging`` (docs/architecture.md). It listens to the apps below
(``dossiers.hooks.transitioned``, the juries' evaluations) and is called by the apps above.

Public contract (stable: the ``messaging`` app relies on it)
-------------------------------------------------------------

``notifications.services.notify(recipients, event, *, dossier=None, url="", context=None,
once_key="") -> list[Notification]``

- ``recipients``: an iterable of users (duplicates and inactive accounts are dropped; the actor
  should not be passed: whoever did the thing is not told about it).
- ``event``: a key of ``notifications.events.EVENTS``. Known today:
  ``"feasibility_submitted"``, ``"validation_submitted"``, ``"message"`` (a message for the
  certifier's staff, from a candidate), ``"message_reply"`` (a message for the candidate, from
  the staff), ``"dossier_transition"`` (in-portal only: the candidate's e-mail is sent by
  ``dossiers``), ``"jury_reminder"``, ``"jury_scorings_validated"``. An app above may add its
  own with ``notifications.events.register(Event(...))`` in its ``AppConfig.ready()`` and
  ship the e-mail templates ``emails/notify_<event>_subject.txt`` / ``_body.txt``.
- ``dossier``: the ``dossiers.Dossier`` concerned, if any (its certification and state are named
  in the e-mail; notifications of a deleted dossier go with it).
- ``url``: the path (``reverse(...)``, no host) of the page the notification links to; the
  e-mail gets ``settings.SITE_URL`` + path. Defaults to the dossier's page for its reader.
- ``context``: extra template context for the e-mail (e.g. ``{"author": user}``); never
  dossier content (no message text, no narrative): the e-mail says what happened and links.
- ``once_key``: when not empty, a recipient who already has a notification of this event with
  this key gets nothing (idempotent reminders).

It must be called inside the transaction of the change: it creates one ``Notification`` row per
recipient (the unread count in the navigation, the list at ``/notifications/``), and per each
recipient's preference for the event (``NotificationPreference``: ``immediate``, ``daily``,
``never``; default per event, ``daily`` for the certifier staff's events) it renders and queues
the e-mail now through ``core.emails.send`` (sent once the transaction commits), or leaves it
for the daily digest (``notifications.tasks.send_daily_digests``, beat at 8:00), or sends none.

``notifications.services.mark_read(user, pk)`` / ``mark_all_read(user)``: what the list page
does; ``unread_count(user)``.
"""
