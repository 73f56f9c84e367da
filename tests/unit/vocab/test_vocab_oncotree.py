from trialmatch.vocab import load_vocabulary


def test_lung_hierarchy():
    tree = load_vocabulary().oncotree
    assert tree.is_a("LUAD", "NSCLC")
    assert tree.is_a("NSCLC", "LUNG")
    assert tree.is_a("LUAD", "LUNG")
    assert tree.is_a("LUAD", "LUAD")
    assert not tree.is_a("NSCLC", "LUAD")
    assert not tree.is_a("SCLC", "NSCLC")
    assert tree.ancestors("LUAD") == ("NSCLC", "LUNG", "TISSUE", "_SOLID_")


def test_breast_hierarchy_and_names():
    tree = load_vocabulary().oncotree
    assert tree.ancestors("IDC") == ("BRCA", "BREAST", "TISSUE", "_SOLID_")
    assert tree.name("IDC") == "Breast Invasive Ductal Carcinoma"
    assert tree.name("NOPE") is None


def test_solid_and_liquid():
    tree = load_vocabulary().oncotree
    assert tree.is_a("AML", "_LIQUID_")  # tissue Myeloid
    assert tree.is_a("CLLSLL", "_LIQUID_")  # tissue Lymphoid
    assert not tree.is_a("AML", "_SOLID_")
    assert tree.is_a("LUAD", "_SOLID_")
    assert tree.is_a("CUP", "_SOLID_")  # tissue Other counts as solid
    assert not tree.is_a("LUAD", "_LIQUID_")
    assert not tree.is_a("TISSUE", "_SOLID_")
    assert tree.is_a("_SOLID_", "_SOLID_")


def test_every_node_is_solid_or_liquid_but_not_both():
    tree = load_vocabulary().oncotree
    for code in tree.nodes:
        if code == "TISSUE":
            continue
        assert tree.is_a(code, "_SOLID_") != tree.is_a(code, "_LIQUID_"), code
    liquid = {c for c in tree.nodes if tree.is_a(c, "_LIQUID_")}
    assert len(liquid) == 121 + 107  # Lymphoid + Myeloid rows of the release


def test_unknown_code_is_nothing():
    tree = load_vocabulary().oncotree
    assert not tree.is_a("NOPE", "NOPE")
    assert tree.ancestors("NOPE") == ()


def test_descendants():
    tree = load_vocabulary().oncotree
    nsclc = tree.descendants("NSCLC")
    assert {"NSCLC", "LUAD", "LUSC"} <= nsclc
    assert "SCLC" not in nsclc


def test_vocabulary_is_hashable_by_identity_with_a_short_repr():
    vocab = load_vocabulary()
    assert {vocab: 1}[vocab] == 1  # usable as a cache key
    assert repr(vocab).startswith("<Vocabulary: 898 OncoTree nodes")
    assert len(repr(vocab)) < 200 and repr(vocab.oncotree) == "<OncoTree: 898 nodes>"
