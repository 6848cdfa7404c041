"""`python tests/llama_server.py --model … --port …`: llama.cpp's OpenAI-compatible server, loaded
the way the assistant loads its model (see `assistant.local_model.plain_cpu_buffers`)."""

from __future__ import annotations

import runpy

from assistant.local_model import has_amx, plain_cpu_buffers

if __name__ == "__main__":
    if has_amx():
        with plain_cpu_buffers():  # the server loads its model while its module runs
            runpy.run_module("llama_cpp.server", run_name="__main__")
    else:
        runpy.run_module("llama_cpp.server", run_name="__main__")
