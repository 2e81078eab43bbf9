"""The shipped JSON Schema is the one the models generate, and it validates what they validate."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from gradquest.levels.discover import bundled_levels_dir, find_level_files
from gradquest.levels.source import read_yaml
from gradquest.levels.schema import Level

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "level.schema.json"


def test_the_shipped_json_schema_is_up_to_date(tmp_path):
    from gradquest.levels.schema import write_json_schema

    fresh = tmp_path / "schema.json"
    write_json_schema(fresh)
    assert fresh.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8"), \
        "regenerate it: python -c \"from pathlib import Path; from gradquest.levels.schema import " \
        "write_json_schema; write_json_schema(Path('docs/level.schema.json'))\""


@pytest.mark.slow
def test_an_editor_validating_with_the_schema_agrees_with_the_loader():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for path in find_level_files([bundled_levels_dir()]):
        data, _ = read_yaml(path)  # YAML 1.2 numbers (1e-4), as editors read them
        jsonschema.validate(data, schema)
        Level.model_validate(data)
    bad = yaml.safe_load(find_level_files([bundled_levels_dir()])[0].read_text(encoding="utf-8"))
    bad["steps"][0]["hintz"] = ["typo"]
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema let an unknown key through")
