"""ask-sdk's serializer, planned once per class instead of worked out by reflection on every request.

``DefaultSerializer`` reads each model class's ``deserialized_types`` and ``attribute_map``, resolves type names
with ``__import__`` and parses every timestamp with ``dateutil``, for every object of every request: more than
half of a turn (callgrind: 2.0 M instructions a turn with it, 0.9 M with this). :class:`PlannedSerializer` is
the same serializer (a subclass, so ask-sdk takes it where it takes the default) that turns each type into a
reader and a writer the first time it meets it. It takes the fast way only where the answer is certain to be the
default's: a model from a JSON object, a list from a list, a value already of its type, a timestamp in the one
ISO 8601 shape Alexa sends. Anything else goes to the default's public ``deserialize``, so odd input is handled
(or refused) exactly as ask-sdk would. ``tests/test_serializer.py`` holds the two to the same objects and JSON,
on the ask-sdk-core and ask-sdk-model versions ``pyproject.toml`` pins.

:meth:`PlannedSerializer.from_data` reads an envelope the request verifier has already parsed, so a body is
parsed once, not three times.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import json
import re
import sys
from collections.abc import Callable
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

Reader = Callable[[Any], Any]
Writer = Callable[[Any], Any]

# Alexa's timestamps; other shapes go to dateutil, whose reading of them datetime.fromisoformat may not share.
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_PLAIN_VALUES = (type(None), str, int, float, bool, enum.Enum)
_PRIMITIVES = frozenset(DefaultSerializer.PRIMITIVE_TYPES)


class PlannedSerializer(DefaultSerializer):
    def __init__(self) -> None:
        self._readers: dict[Any, Reader] = {}
        self._models: dict[str, Reader] = {}  # subclasses chosen by a discriminator, by name
        self._writers: dict[type, Writer] = {
            type(None): lambda obj: None, list: self._write_list, dict: self._write_dict,
            **{kind: _same for kind in _PRIMITIVES}}

    # ------------------------------------------------------------------------------------------------ reading

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if payload is None:
            return None
        try:
            data = json.loads(payload)
        except Exception:
            raise SerializationException(f"Couldn't parse response body: {payload}") from None
        return self.from_data(data, obj_type)

    def from_data(self, data: Any, obj_type: Any) -> Any:
        """``deserialize`` of JSON already parsed (and not used afterwards: the objects may share its parts)."""
        return self._reader(obj_type)(data)

    def _default(self, payload: Any, obj_type: Any) -> Any:
        """The SDK's own way, for what is unusual (its public ``deserialize``, of the payload as JSON again). Its
        errors surface as the SDK's model reader turns them: a :class:`SerializationException`."""
        try:
            return super().deserialize(json.dumps(payload), obj_type)
        except SerializationException:
            raise
        except Exception as error:
            raise SerializationException(str(error)) from None

    def _reader(self, obj_type: Any) -> Reader:
        reader = self._readers.get(obj_type)
        if reader is None:
            reader = self._readers[obj_type] = self._plan_reader(obj_type)
        return reader

    def _plan_reader(self, obj_type: Any) -> Reader:
        default = self._default
        if isinstance(obj_type, str):
            listed = re.fullmatch(r"list\[(.*)\]", obj_type)
            if listed and "," not in listed.group(1):
                return self._container_reader(obj_type, list, listed.group(1).strip())
            mapped = re.fullmatch(r"dict\(([^,]*), (.*)\)", obj_type)
            if mapped:
                return self._container_reader(obj_type, dict, mapped.group(2))
            if obj_type.startswith(("list[", "dict(")):
                return lambda payload: default(payload, obj_type)
            if obj_type in self.NATIVE_TYPES_MAPPING:
                return self._reader(self.NATIVE_TYPES_MAPPING[obj_type])
            try:
                cls = load_class(obj_type)
            except SerializationException:
                return lambda payload: default(payload, obj_type)  # fails as the default fails, every time
            return self._reader(cls)
        if obj_type in _PRIMITIVES:
            return lambda payload: payload if type(payload) is obj_type or payload is None \
                else default(payload, obj_type)
        if obj_type is object:
            return _same
        if obj_type is dt.datetime:
            return lambda payload: _timestamp(payload) if type(payload) is str and _ISO_TIMESTAMP.fullmatch(payload) \
                else default(payload, obj_type)
        if isinstance(obj_type, type) and issubclass(obj_type, enum.Enum):
            return self._enum_reader(obj_type)
        if isinstance(obj_type, type) and hasattr(obj_type, "deserialized_types"):
            if hasattr(obj_type, "get_real_child_model"):
                return self._discriminated_reader(obj_type)
            return self._model_reader(obj_type)
        return lambda payload: default(payload, obj_type)

    def _container_reader(self, obj_type: str, shape: type, inner_type: str) -> Reader:
        """``list[X]`` from a list, or ``dict(str, X)`` from a dict, each item read as ``X``."""
        default = self._default
        inner: list[Reader] = []  # planned on first use: a model may contain a list of itself

        def read(payload: Any) -> Any:
            if type(payload) is not shape:
                return None if payload is None else default(payload, obj_type)
            if not inner:
                inner.append(self._reader(inner_type))
            read_item = inner[0]
            if shape is list:
                return [read_item(value) for value in payload]
            return {key: read_item(value) for key, value in payload.items()}

        return read

    def _enum_reader(self, cls: type[enum.Enum]) -> Reader:
        default = self._default

        def read(payload: Any) -> Any:
            if payload is None:
                return None
            try:
                return cls(payload)
            except Exception:
                return default(payload, cls)

        return read

    def _discriminated_reader(self, cls: type) -> Reader:
        """A base class (``Request``) whose payload's ``type`` names the subclass, as ``get_real_child_model``
        finds it; the subclass is then read as a plain model, as the default reads it."""
        default = self._default
        key = cls.json_discriminator_key
        names = cls.discriminator_value_class_map

        def read(payload: Any) -> Any:
            if type(payload) is dict and type(payload.get(key)) is str:
                name = names.get(payload[key])
                if name is not None:
                    model = self._models.get(name)
                    if model is None:
                        model = self._models[name] = self._named_model_reader(name, cls)
                    return model(payload)
            return None if payload is None else default(payload, cls)

        return read

    def _named_model_reader(self, name: str, base: type) -> Reader:
        default = self._default
        try:
            return self._model_reader(load_class(name))
        except Exception:  # a name that does not load, or no model: the default says what is wrong
            return lambda payload: default(payload, base)

    def _model_reader(self, cls: type) -> Reader:
        """Sets what the payload has, by ``attribute_map``, on a new object, then any other key as it came."""
        default = self._default
        mapping = _attribute_map(cls)
        known = frozenset(mapping.values())
        try:
            template = cls().__dict__
        except Exception:  # a class that cannot be made without arguments: the default fails on it the same way
            return lambda payload: default(payload, cls)
        plain = all(isinstance(value, _PLAIN_VALUES) for value in template.values())
        if not set(mapping) <= set(cls.deserialized_types):
            return lambda payload: default(payload, cls)  # an attribute without a type: the default refuses it
        fields = [(key, attr, cls.deserialized_types[attr]) for attr, key in mapping.items()]
        readers: list[tuple[str, str, Reader]] = []

        def read(payload: Any) -> Any:
            if type(payload) is not dict:
                return None if payload is None else default(payload, cls)
            if not readers:  # planned on first use, as a model may contain itself
                readers.extend((key, attr, self._reader(kind)) for key, attr, kind in fields)
            if plain:  # what the constructor would set, without calling it for each object
                model = cls.__new__(cls)
                values = model.__dict__
                values.update(template)
            else:
                model = cls()
                values = model.__dict__
            for key, attr, read_value in readers:
                if key in payload:
                    values[attr] = read_value(payload[key])
            if not known.issuperset(payload):
                try:
                    for key in payload:
                        if key not in known:
                            setattr(model, key, payload[key])
                except Exception as error:  # a key such as "__class__", refused as the default refuses it
                    raise SerializationException(str(error)) from None
            return model

        return read

    # ------------------------------------------------------------------------------------------------ writing

    def serialize(self, obj: Any) -> Any:
        writer = self._writers.get(type(obj))
        if writer is None:
            writer = self._writers[type(obj)] = self._plan_writer(type(obj))
        return writer(obj)

    def _plan_writer(self, kind: type) -> Writer:
        if hasattr(kind, "deserialized_types") and not issubclass(kind, (dict, list, tuple, enum.Enum)):
            mapping = _attribute_map(kind)
            pairs = [(attr, mapping[attr]) for attr in kind.deserialized_types]  # in the default's order
            serialize = self.serialize

            def write(obj: Any) -> dict:
                found = {}
                for attr, key in pairs:
                    value = getattr(obj, attr)
                    if value is not None:
                        found[key] = serialize(value)
                return found

            return write
        if issubclass(kind, enum.Enum) and not issubclass(kind, tuple(_PRIMITIVES)):
            return lambda obj: obj.value
        return super().serialize  # anything else exactly as the SDK writes it

    def _write_list(self, obj: list) -> list:
        serialize = self.serialize
        return [serialize(item) for item in obj]

    def _write_dict(self, obj: dict) -> dict:
        serialize = self.serialize
        return {key: serialize(value) for key, value in obj.items()}


def load_class(name: str) -> type:
    """The model class a type name in ask-sdk-model names (``ask_sdk_model.intent.Intent``), as the SDK finds it."""
    module, _, attribute = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module) if module else sys.modules[DefaultSerializer.__module__],
                       attribute)
    except Exception as error:
        raise SerializationException(f"Unable to resolve class {name} from installed modules: {error}") from None


def _same(value: Any) -> Any:
    return value


def _timestamp(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:  # the right shape but no such time ("T25:00:00")
        raise SerializationException(f"Failed to parse {text} into 'datetime' object") from None


def _attribute_map(cls: type) -> dict[str, str]:
    """Attribute name to JSON key, as the default completes it: ``attribute_map``, then each other name in
    ``deserialized_types`` as itself."""
    mapping = dict(getattr(cls, "attribute_map", {}))
    mapping.update({name: name for name in cls.deserialized_types if name not in mapping})
    return mapping
