"""A tiny bilingual Rasa project that trains in seconds, for tests that run real Rasa."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import redis

from training.paths import ProjectPaths
from training.rasa_server import RasaClient, local_rasa

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"

CONFIG = """\
recipe: default.v1
language: en
assistant_id: tiny-test
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 2
    max_ngram: 4
  - name: LogisticRegressionClassifier
    max_iter: 200
    random_state: 7
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.0
policies:
  - name: RulePolicy
"""

DOMAIN = """\
version: "3.1"
intents:
  - greet
  - product_price
  - order_status
  - return_policy
  - out_of_scope
  - nlu_fallback
entities:
  - order_number
responses:
  utter_greet:
    - text: "hello"
  utter_price:
    - text: "price"
  utter_order:
    - text: "order"
  utter_returns:
    - text: "returns"
  utter_decline:
    - text: "decline"
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
"""

RULES = """\
version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: price
  steps:
  - intent: product_price
  - action: utter_price
- rule: order
  steps:
  - intent: order_status
  - action: utter_order
- rule: returns
  steps:
  - intent: return_policy
  - action: utter_returns
- rule: out of scope
  steps:
  - intent: out_of_scope
  - action: utter_decline
- rule: fallback
  steps:
  - intent: nlu_fallback
  - action: utter_decline
"""

TRAIN = {
    "en": {
        "greet": [
            "hello",
            "hi there",
            "good morning",
            "hey",
            "hello hello",
            "good evening",
            "hi, anyone there?",
            "hey there team",
        ],
        "product_price": [
            "how much is this dress",
            "what does the coat cost",
            "price of the blue jeans",
            "how expensive is the blazer",
            "what is the price of the skirt",
            "how much do the boots cost",
            "is the scarf cheap",
            "cost of the wool jumper",
        ],
        "order_status": [
            "where is my order",
            "has my parcel shipped",
            "when will my package arrive",
            "track my order please",
            "my delivery has not arrived",
            "status of my order",
            "is my order on its way",
            "where is my parcel",
        ],
        "return_policy": [
            "can I return this",
            "how do returns work",
            "what is your return policy",
            "how many days to send it back",
            "can I send the dress back",
            "are returns free",
            "how do I return an item",
            "refund rules for returns",
        ],
        "out_of_scope": [
            "who won the football match",
            "tell me a joke",
            "what is the capital of peru",
            "play some music",
            "solve this equation for me",
            "book me a taxi",
            "what is the meaning of life",
            "recommend a movie",
        ],
    },
    "nl": {
        "greet": [
            "hallo",
            "hoi daar",
            "goedemorgen",
            "hey",
            "goedenavond",
            "hoi allemaal",
            "hallo, is daar iemand?",
            "dag team",
        ],
        "product_price": [
            "hoeveel kost deze jurk",
            "wat kost de jas",
            "prijs van de blauwe jeans",
            "hoe duur is de blazer",
            "wat is de prijs van de rok",
            "hoeveel kosten de laarzen",
            "is de sjaal goedkoop",
            "kosten van de wollen trui",
        ],
        "order_status": [
            "waar is mijn bestelling",
            "is mijn pakket verzonden",
            "wanneer komt mijn pakket",
            "volg mijn bestelling alsjeblieft",
            "mijn levering is niet aangekomen",
            "status van mijn bestelling",
            "is mijn bestelling onderweg",
            "waar blijft mijn pakketje",
        ],
        "return_policy": [
            "kan ik dit retourneren",
            "hoe werkt retourneren",
            "wat is jullie retourbeleid",
            "hoeveel dagen om het terug te sturen",
            "kan ik de jurk terugsturen",
            "is retourneren gratis",
            "hoe stuur ik een artikel terug",
            "regels voor retouren",
        ],
        "out_of_scope": [
            "wie won de voetbalwedstrijd",
            "vertel een mop",
            "wat is de hoofdstad van peru",
            "speel wat muziek",
            "los deze som voor me op",
            "bestel een taxi voor me",
            "wat is de zin van het leven",
            "raad me een film aan",
        ],
    },
}

HELDOUT = {
    "en": {
        "greet": ["hi hello", "good morning team"],
        "product_price": ["how much is the jacket", "what is the price of these boots"],
        "order_status": ["where is my package", "has my order shipped yet"],
        "return_policy": ["how can I return the jeans", "what are the return rules"],
        "out_of_scope": ["who is the president", "tell me a funny story"],
    },
    "nl": {
        "greet": ["hallo daar", "goedemorgen allemaal"],
        "product_price": ["hoeveel kost het jasje", "wat is de prijs van deze laarzen"],
        "order_status": ["waar is mijn pakket", "is mijn bestelling al verzonden"],
        "return_policy": ["hoe kan ik de jeans retourneren", "wat zijn de retourregels"],
        "out_of_scope": ["wie is de president", "vertel een grappig verhaal"],
    },
}

# Our own off-topic sentences (never from the shared benchmarks).
BENCHMARK = {
    "offtopic_en": [
        "what time is the train to utrecht",
        "how tall is the eiffel tower",
        "set an alarm for seven",
        "translate cat into french",
    ],
    "offtopic_nl": [
        "hoe laat gaat de trein naar utrecht",
        "hoe hoog is de eiffeltoren",
        "zet een wekker om zeven uur",
        "vertaal kat naar het frans",
    ],
}


def nlu_yaml(examples: dict[str, list[str]]) -> str:
    """Rasa NLU YAML for intents and their examples."""
    parts = ['version: "3.1"\nnlu:\n']
    for intent, texts in examples.items():
        parts.append(f"- intent: {intent}\n  examples: |\n")
        parts.extend(f"    - {text}\n" for text in texts)
    return "".join(parts)


def make_rasa_project(
    root: Path, train: dict[str, dict[str, list[str]]] | None = None
) -> ProjectPaths:
    """Write the tiny project (optionally with other training examples) under `root`."""
    train = train or TRAIN
    (root / "data" / "nlu").mkdir(parents=True, exist_ok=True)
    (root / "config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    (root / "data" / "rules.yml").write_text(RULES, encoding="utf-8")
    for language, examples in train.items():
        (root / "data" / "nlu" / language).mkdir(exist_ok=True)
        (root / "data" / "nlu" / language / "support.yml").write_text(
            nlu_yaml(examples), encoding="utf-8"
        )
    heldout = root / "heldout"
    for language, examples in HELDOUT.items():
        (heldout / language).mkdir(parents=True, exist_ok=True)
        (heldout / language / "test.yml").write_text(nlu_yaml(examples), encoding="utf-8")
    benchmarks = root / "benchmarks"
    benchmarks.mkdir(exist_ok=True)
    for name, sentences in BENCHMARK.items():
        (benchmarks / f"{name}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    return ProjectPaths.at(
        root,
        models_dir=root / "models",
        heldout_dir=heldout,
        benchmarks_dir=benchmarks,
        rasa_executable=RASA,
    )


@contextlib.asynccontextmanager
async def production_rasa(root: Path, redis_url: str) -> AsyncIterator[RasaClient]:
    """An empty Rasa server (REST channel, API on) keeping conversations in Redis.

    Conversations must outlive a model swap: with Rasa's default in-memory tracker store,
    `PUT /model` starts every conversation afresh.
    """
    prefix = "t" + uuid.uuid4().hex[:12]  # Rasa accepts only alphanumeric key prefixes
    client = redis.Redis.from_url(redis_url)
    kwargs = client.connection_pool.connection_kwargs
    endpoints = root / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: redis\n  url: {kwargs['host']}\n  port: {kwargs['port']}\n"
        f"  db: {kwargs.get('db', 0)}\n  key_prefix: {prefix}\n",
        encoding="utf-8",
    )
    credentials = root / "credentials.yml"
    credentials.write_text("rest:\n", encoding="utf-8")
    paths = ProjectPaths.at(root, rasa_executable=RASA)
    try:
        async with local_rasa(
            paths, None, log=root / "production.log", endpoints=endpoints, credentials=credentials
        ) as (rasa, _):
            yield rasa
    finally:
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
