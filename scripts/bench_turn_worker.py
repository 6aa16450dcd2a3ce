"""The worker of scripts/bench_turn.py, in the bot environment: Rasa in this process, with
Senior Plus's fixes, the benchmark's conversations sent one message at a time; prints the
CPU of this process per message (JSON). The action server and the stores come from the
environment that scripts/bench_turn.py sets up."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sys
import time
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


async def main(rounds: int) -> None:
    from bot import heap, model_load, rasa_patches

    rasa_patches.apply()
    model_load.apply()
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.INFO)  # as `rasa run` (no debug logs)
    configure_structlog(logging.INFO)
    scripts = yaml.safe_load((ROOT / "scripts" / "bench_conversations.yml").read_text("utf-8"))
    conversations = [[str(t) for t in script] for script in scripts["conversations"].values()]
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "bot" / "endpoints.yml"))
    model = ROOT / "models" / "current.tar.gz"
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    heap.freeze_loaded_objects()  # as bot/operations.py does once Rasa's server has started
    gc_seconds, gc_counts = [0.0, 0.0, 0.0], [0, 0, 0]

    def collected(generation: int, seconds: float) -> None:
        gc_seconds[generation] += seconds
        gc_counts[generation] += 1

    async def converse(script: list[str]) -> int:
        sender = f"bench-turn-{uuid.uuid4().hex[:12]}"
        silent = 0
        for text in script:
            output = CollectingOutputChannel()
            await agent.handle_message(UserMessage(text, output, sender))
            silent += not output.messages
        return silent

    for script in conversations:  # warm-up: the first TensorFlow calls are slow
        await converse(script)
    gc.callbacks.append(heap.PauseClock(collected))
    messages = silent = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for script in conversations:
            silent += await converse(script)
            messages += len(script)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({
        "messages": messages, "silent": silent,
        "cpu_ms_per_msg": round(1000 * cpu / messages, 2),
        "wall_ms_per_msg": round(1000 * wall / messages, 2),
        "gc_ms_per_msg": [round(1000 * s / messages, 3) for s in gc_seconds],
        "gc_collections": gc_counts, "objects": len(gc.get_objects()) + gc.get_freeze_count(),
    }), flush=True)  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 6))
