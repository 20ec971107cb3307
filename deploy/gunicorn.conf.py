"""gunicorn for Mockri on a plain server: `gunicorn -c deploy/gunicorn.conf.py`.

Behind nginx (deploy/nginx.conf) on the loopback address. Sync workers: each request holds one
worker, and slow clients are nginx's problem (it buffers request and response bodies), which is
why the proxy is not optional. The environment can override: GUNICORN_BIND, WEB_CONCURRENCY.
"""

import multiprocessing
import os

wsgi_app = "mockri.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A request that has not answered in 30 s is stuck (provider calls have 10 s timeouts and run
# in tasks); the worker is killed and replaced.
timeout = 30
# On SIGTERM (systemctl stop/restart), requests in flight get this long to finish.
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak in any library never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Errors to stderr (journald). No access log here: nginx keeps one, and IP addresses are personal
# data that need not be written twice.
errorlog = "-"
accesslog = None
# Only the local proxy may set X-Forwarded-*; Django trusts X-Forwarded-Proto (settings'
# SECURE_PROXY_SSL_HEADER) because nothing else can reach this port.
forwarded_allow_ips = "127.0.0.1,::1"
# Import Django once in the master, before forking: workers start in a fraction of the time, and
# a configuration error stops gunicorn at once instead of workers failing in a loop. Code
# changes need a restart (systemctl restart mockri-web), which a deploy does anyway.
preload_app = True
