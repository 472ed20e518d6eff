# The nichegraph app image used by docker-compose.yml (the explorer and the CLI).
FROM python:3.11-slim

RUN apt-get update \
 && apt-get install --no-install-recommends -y nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -e . \
 && if [ -f web/package-lock.json ]; then cd web && npm ci --no-audit --no-fund; fi

ENV NEO4J_URI=bolt://neo4j:7687 \
    NICHEGRAPH_DATA_DIR=/data
EXPOSE 5000
CMD ["nichegraph", "run", "--host", "0.0.0.0", "--port", "5000"]
