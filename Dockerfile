# One image with both environments and the trained model; the container runs the whole system in
# the production profile (docs/deployment.md), behind a TLS proxy such as deploy/Caddyfile.
# No Docker engine runs on the development machines, so this file is not built in CI. Build it
# where an engine runs, from this folder, with the content folder as a named context:
#   docker build --build-context shared=../shared -t chizai-bot .
#   docker run -p 127.0.0.1:8000:8000 -e CHIZAI_PUBLIC_URL=https://chat.example.jp \
#     -e CHIZAI_ENGINE_TOKEN=... -e CHIZAI_SECRET_KEY=... -e CHIZAI_TRUSTED_PROXIES=172.17.0.1 chizai-bot
FROM python:3.10-slim-bookworm

COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /usr/local/bin/uv
RUN apt-get update \
 && apt-get install -y --no-install-recommends make curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=3 \
    PYTHONPATH=/app \
    CONTENT=/shared/content \
    GATEWAY_HOST=0.0.0.0 \
    CHIZAI_ENV=production \
    UV_PYTHON_INSTALL_DIR=/opt/python

# The Rasa engine on Python 3.10 (this image's own), the gateway on a uv-managed Python 3.11 with
# the production requirements only (no test tools).
COPY requirements/ requirements/
RUN python -m venv .venv-rasa \
 && .venv-rasa/bin/pip install --no-cache-dir -r requirements/rasa.txt \
 && touch .venv-rasa/.installed \
 && uv venv --python 3.11 .venv \
 && uv pip install --python .venv/bin/python -r requirements/app.txt \
 && touch .venv/.installed

COPY --from=shared content /shared/content
COPY . .
# The environments are installed above: make only builds the spaCy pipeline and trains.
RUN touch .venv/.installed .venv-rasa/.installed && make models/chizai.tar.gz PY311=.venv/bin/python

EXPOSE 8000
CMD ["sh", "-c", "scripts/services.sh start && exec tail -F var/log/gateway.log var/log/rasa.log"]
