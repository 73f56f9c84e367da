"""Criteria trees in their JSON form, for the expected parses of the nlp tests."""


def no(node):
    return {"type": "not", "item": node}


def any_(*items):
    return {"type": "any", "items": list(items)}


def all_(*items):
    return {"type": "all", "items": list(items)}


def un(text):
    return {"type": "unparsed", "text": text}
