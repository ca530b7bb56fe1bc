"""Background tasks that only the web app and the CLI start (`jobs.reports`, `jobs.reminders`).

The queue itself (`services.queue.enqueue`) and the tasks the services start themselves (e-mail,
geocoding, suggestion refreshes) live in `services`, which never import this package. Tasks take
ids or plain values, reload their rows, and do nothing harmful when run twice or when the row is
gone. The rq worker that runs them all is `web.worker`.
"""
