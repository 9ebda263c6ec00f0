#!/usr/bin/env bash
# Starts the web server and a Celery worker (with beat), and stops both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
# The server and the worker (digests, reminders) build e-mail links on the address served here,
# unless SITE_URL says otherwise (vae_portal/settings.py).
export PORT
CELERY=$(dirname "$PY")/celery

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Arrêt du serveur et du worker…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # The worker finishes its current task first (warm shutdown); after five seconds it stops at
  # once (cold shutdown): its tasks are acknowledged late, so an interrupted one runs again later.
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -QUIT "$pid" 2>/dev/null || true; done
  wait || true
  exit 0
}
trap stop INT TERM EXIT

# Every queue of settings.CELERY_TASK_QUEUES, taken in turn: the default one (submitted dossiers'
# PDFs, scans), the e-mails' and the draft previews'.
"$CELERY" -A vae_portal worker --beat --loglevel=INFO --concurrency=2 -Q celery,emails,previews \
  --schedule "${DATA_DIR:-data}/celerybeat-schedule" &
pids+=($!)
# FRANCE_VAE_FAKE=1 make run: a fake France VAE (francevae/fake_server.py) that seed_demo connected
# one organisation to, so that a newcomer watches a dossier come in and a decision go out.
if [ "${FRANCE_VAE_FAKE:-0}" = 1 ]; then
  "$PY" -m francevae.fake_server --port "${FRANCE_VAE_FAKE_PORT:-8765}" --token fake-token &
  pids+=($!)
fi
"$PY" manage.py runserver "127.0.0.1:${PORT}" &
pids+=($!)
echo "Portail VAE : http://127.0.0.1:${PORT}  (Ctrl-C pour arrêter)"
echo "Les e-mails (confirmation d'adresse, convocations…) s'affichent ici, encadrés de lignes ═══ « E-MAIL à … »."
wait -n
