//! client-go's `util/jsonpath` tests (`parser_test.go`, `jsonpath_test.go`), ported with their
//! names and expectations where unstructured JSON can express their input (the ones it cannot
//! are listed in docs/conformance.md), then kubectl's printer around the engine.

use super::*;
use serde_json::json;

/// jsonpathTest: name, template, expected output, whether an error is expected.
type Case<'a> = (&'a str, &'a str, &'a str, bool);

const NULL_AS_JSON: TextStyle = TextStyle { null_as_json: true };

/// testJSONPath: parse, execute, compare (an expected error may come from either step).
fn test_json_path(cases: &[Case], input: &Value, allow_missing_keys: bool) {
    for (name, template, expect, expect_error) in cases {
        let result = Template::parse(template).and_then(|t| execute(&t, input, allow_missing_keys, NULL_AS_JSON));
        match result {
            Ok(out) => {
                assert!(!expect_error, "in {name}, expected an error, got {out:?}");
                assert_eq!(&out, expect, "in {name}");
            }
            Err(e) => assert!(expect_error, "in {name}, error {e}"),
        }
    }
}

/// testJSONPathSortOutput: map order is random in Go, so the words are compared sorted.
fn test_json_path_sort_output(cases: &[Case], input: &Value) {
    for (name, template, expect, _) in cases {
        let out = execute(&Template::parse(template).unwrap(), input, false, NULL_AS_JSON).unwrap();
        let mut got: Vec<&str> = out.split_whitespace().collect();
        let mut want: Vec<&str> = expect.split_whitespace().collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "in {name}");
    }
}

/// testFailJSONPath: the execute error's text.
fn test_fail_json_path(cases: &[(&str, &str, &str)], input: &Value) {
    for (name, template, expect) in cases {
        let parsed = Template::parse(template).unwrap_or_else(|e| panic!("in {name}, parse error {e}"));
        let out = execute(&parsed, input, false, NULL_AS_JSON).err().unwrap_or_else(|| "nil".into());
        assert_eq!(&out, expect, "in {name}");
    }
}

#[test]
fn test_types_input() {
    let types = json!({
        "bools": [true, false, true, false],
        "integers": [1, 2, 3, 4],
        "floats": [1.0, 2.2, 3.3, 4.0],
        "strings": ["one", "two", "three", "four"],
        "interfaces": [true, "one", 1, 1.1],
        "maps": [
            {"name": "one", "value": 1},
            {"name": "two", "value": 2.02},
            {"name": "three", "value": 3.03},
            {"name": "four", "value": 4.04},
        ],
    });
    let slice_tests: &[Case] = &[
        ("boolSlice", "{ .bools }", "[true,false,true,false]", false),
        ("boolSliceIndex", "{ .bools[0] }", "true", false),
        ("boolSliceIndex", "{ .bools[-1] }", "false", false),
        ("boolSubSlice", "{ .bools[0:2] }", "true false", false),
        ("boolSubSliceFirst2", "{ .bools[:2] }", "true false", false),
        ("boolSubSliceStep2", "{ .bools[:4:2] }", "true true", false),
        ("integerSlice", "{ .integers }", "[1,2,3,4]", false),
        ("integerSliceIndex", "{ .integers[0] }", "1", false),
        ("integerSliceIndexReverse", "{ .integers[-2] }", "3", false),
        ("integerSubSliceFirst2", "{ .integers[0:2] }", "1 2", false),
        ("integerSubSliceFirst2Alt", "{ .integers[:2] }", "1 2", false),
        ("integerSubSliceStep2", "{ .integers[:4:2] }", "1 3", false),
        ("floatSlice", "{ .floats }", "[1,2.2,3.3,4]", false),
        ("floatSliceIndex", "{ .floats[0] }", "1", false),
        ("floatSliceIndexReverse", "{ .floats[-2] }", "3.3", false),
        ("floatSubSliceFirst2", "{ .floats[0:2] }", "1 2.2", false),
        ("floatSubSliceFirst2Alt", "{ .floats[:2] }", "1 2.2", false),
        ("floatSubSliceStep2", "{ .floats[:4:2] }", "1 3.3", false),
        ("stringSlice", "{ .strings }", r#"["one","two","three","four"]"#, false),
        ("stringSliceIndex", "{ .strings[0] }", "one", false),
        ("stringSliceIndexReverse", "{ .strings[-2] }", "three", false),
        ("stringSubSliceFirst2", "{ .strings[0:2] }", "one two", false),
        ("stringSubSliceFirst2Alt", "{ .strings[:2] }", "one two", false),
        ("stringSubSliceStep2", "{ .strings[:4:2] }", "one three", false),
        ("interfaceSlice", "{ .interfaces }", r#"[true,"one",1,1.1]"#, false),
        ("interfaceSliceIndex", "{ .interfaces[0] }", "true", false),
        ("interfaceSliceIndexReverse", "{ .interfaces[-2] }", "1", false),
        ("interfaceSubSliceFirst2", "{ .interfaces[0:2] }", "true one", false),
        ("interfaceSubSliceFirst2Alt", "{ .interfaces[:2] }", "true one", false),
        ("interfaceSubSliceStep2", "{ .interfaces[:4:2] }", "true 1", false),
        (
            "mapSlice",
            "{ .maps }",
            r#"[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},{"name":"four","value":4.04}]"#,
            false,
        ),
        ("mapSliceIndex", "{ .maps[0] }", r#"{"name":"one","value":1}"#, false),
        ("mapSliceIndexReverse", "{ .maps[-2] }", r#"{"name":"three","value":3.03}"#, false),
        ("mapSubSliceFirst2", "{ .maps[0:2] }", r#"{"name":"one","value":1} {"name":"two","value":2.02}"#, false),
        ("mapSubSliceFirst2Alt", "{ .maps[:2] }", r#"{"name":"one","value":1} {"name":"two","value":2.02}"#, false),
        ("mapSubSliceStepOdd", "{ .maps[::2] }", r#"{"name":"one","value":1} {"name":"three","value":3.03}"#, false),
        ("mapSubSliceStepEven", "{ .maps[1::2] }", r#"{"name":"two","value":2.02} {"name":"four","value":4.04}"#, false),
    ];
    test_json_path(slice_tests, &types, false);
}

/// TestStructInput's store, as the unstructured JSON its fields would marshal to.
fn store_data() -> Value {
    json!({
        "Name": "jsonpath",
        "Book": [
            {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
            {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
            {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99},
        ],
        "Bicycle": [
            {"Color": "red", "Price": 19.95, "IsNew": true},
            {"Color": "green", "Price": 20.01, "IsNew": false},
        ],
        "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
        "Employees": {"jason": "manager", "dan": "clerk"},
    })
}

#[test]
fn test_struct_input() {
    let store = store_data();
    let null = Value::Null;
    test_json_path(&[("plain", "hello jsonpath", "hello jsonpath", false)], &null, false);
    test_json_path(&[("recursive", "{..}", "[1,2,3]", false)], &json!([1, 2, 3]), false);
    test_json_path(&[("filter", "{[?(@<5)]}", "2 3", false)], &json!([2, 6, 3, 7]), false);
    test_json_path(&[("quote", r#"{"{"}"#, "{", false)], &null, false);
    test_json_path(&[("union", "{[1,3,4]}", "1 3 4", false)], &json!([0, 1, 2, 3, 4]), false);
    test_json_path(&[("array", "{[0:2]}", "Monday Tudesday", false)], &json!(["Monday", "Tudesday"]), false);
    let store_tests: &[Case] = &[
        ("variable", "hello {.Name}", "hello jsonpath", false),
        ("dict/", "{$.Labels.web/html}", "15", false),
        ("dict/", "{$.Employees.jason}", "manager", false),
        ("dict/", "{$.Employees.dan}", "clerk", false),
        ("dict-", "{.Labels.k8s-app}", "20", false),
        ("nest", "{.Bicycle[*].Color}", "red green", false),
        ("allarray", "{.Book[*].Author}", "Nigel Rees Evelyn Waugh Herman Melville", false),
        ("superrecurfields", "{............................................................Price}", "", true),
    ];
    test_json_path(store_tests, &store, false);
    // Go walks the struct's fields in declaration order (Book before Bicycle); a JSON object
    // has no such order, so these compare the words sorted.
    test_json_path_sort_output(
        &[
            ("recurfields", "{..Price}", "8.95 12.99 8.99 19.95 20.01", false),
            ("recurdotfields", "{...Price}", "8.95 12.99 8.99 19.95 20.01", false),
        ],
        &store,
    );
    let missing_key_tests: &[Case] =
        &[("nonexistent field", "{.hello}", "", false), ("nonexistent field 2", "before-{.hello}after", "before-after", false)];
    test_json_path(missing_key_tests, &store, true);
    test_fail_json_path(
        &[
            ("invalid identifier", "{hello}", "unrecognized identifier hello"),
            ("nonexistent field", "{.hello}", "hello is not found"),
            // Go's typed map[string]int; unstructured data is map[string]interface {}.
            ("invalid array", "{.Labels[0]}", "map[string]interface {} is not array or slice"),
            ("invalid filter operator", "{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
            ("redundant end", "{range .Labels.*}{@}{end}{end}", "not in range, nothing to end"),
        ],
        &store,
    );
}

#[test]
fn test_json_input() {
    let points: Value = serde_json::from_str(
        r#"[
        {"id": "i1", "x":4, "y":-5},
        {"id": "i2", "x":-2, "y":-5, "z":1},
        {"id": "i3", "x":  8, "y":  3 },
        {"id": "i4", "x": -6, "y": -1 },
        {"id": "i5", "x":  0, "y":  2, "z": 1 },
        {"id": "i6", "x":  1, "y":  4 },
        {"id": "i7", "x":  null, "y":  4 }
    ]"#,
    )
    .unwrap();
    let points_tests: &[Case] = &[
        ("exists filter", "{[?(@.z)].id}", "i2 i5", false),
        ("bracket key", "{[0]['id']}", "i1", false),
        ("nil value", "{[-1]['x']}", "null", false),
    ];
    test_json_path(points_tests, &points, false);
}

fn kubernetes_nodes() -> Value {
    json!({
        "kind": "List",
        "items": [
            {
                "kind": "None",
                "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
                "status": {
                    "capacity": {"cpu": "4"},
                    "ready": true,
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]
                }
            },
            {
                "kind": "None",
                "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
                "status": {
                    "capacity": {"cpu": "8"},
                    "ready": false,
                    "addresses": [
                        {"type": "LegacyHostIP", "address": "127.0.0.2"},
                        {"type": "another", "address": "127.0.0.3"}
                    ]
                }
            }
        ],
        "users": [
            {"name": "myself", "user": {}},
            {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
        ]
    })
}

#[test]
fn test_kubernetes() {
    let nodes = kubernetes_nodes();
    let nodes_tests: &[Case] = &[
        ("range item", "{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List", false),
        ("range item with quote", r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#, "127.0.0.1\t127.0.0.2\t", false),
        ("range addresss", "{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3", false),
        ("double range", "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", "127.0.0.1, 127.0.0.2, 127.0.0.3, ", false),
        ("item name", "{.items[*].metadata.name}", "127.0.0.1 127.0.0.2", false),
        (
            "union nodes capacity",
            "{.items[*]['metadata.name', 'status.capacity']}",
            r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
            false,
        ),
        (
            "range nodes capacity",
            "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
            r#"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#,
            false,
        ),
        ("user password", r#"{.users[?(@.name=="e2e")].user.password}"#, "secret", false),
        ("hostname", r"{.items[0].metadata.labels.kubernetes\.io/hostname}", "127.0.0.1", false),
        ("hostname filter", r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#, "None", false),
        ("bool item", "{.items[?(@..ready==true)].metadata.name}", "127.0.0.1", false),
    ];
    test_json_path(nodes_tests, &nodes, false);
    test_json_path_sort_output(&[("recursive name", "{..name}", "127.0.0.1 127.0.0.2 myself e2e", false)], &nodes);
}

#[test]
fn test_empty_range() {
    let empty_list = json!({"items": []});
    let tests: &[Case] = &[
        ("empty range", "{range .items[*]}{.metadata.name}{end}", "", false),
        (
            "empty nested range",
            r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
            "",
            false,
        ),
    ];
    test_json_path(tests, &empty_list, true);
}

#[test]
fn test_nested_ranges() {
    let another = json!([{"name": "value1"}, {"name": "value2"}]);
    let data = json!({"items": [
        {"metadata": {"name": "pod1"}, "spec": {"containers": [
            {"name": "foo", "another": another}, {"name": "bar", "another": another}]}},
        {"metadata": {"name": "pod2"}, "spec": {"containers": [{"name": "baz", "another": another}]}}
    ]});
    test_json_path(
        &[(
            "nested range with a trailing newline",
            r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
            "pod1:foo,bar,+pod2:baz,+",
            false,
        )],
        &data,
        false,
    );
    test_json_path(
        &[(
            "nested range with a trailing character within another nested range with a trailing newline",
            r##"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##,
            "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#",
            false,
        )],
        &data,
        false,
    );
    test_json_path(
        &[(
            "two nested ranges at the same level with a trailing newline",
            r#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#,
            "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n",
            false,
        )],
        &data,
        false,
    );
}

#[test]
fn test_filter_partial_matches_sometimes_missing_annotations() {
    let data = json!({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"kind": "Pod", "metadata": {"name": "pod2"}},
        {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}}
    ]});
    let template = r#"{.items[?(@.metadata.annotations.color=="blue")].metadata.name}"#;
    test_json_path(
        &[("filter, should only match a subset, some items don't have annotations, tolerate missing items", template, "pod1 pod4", false)],
        &data,
        true,
    );
    test_json_path(
        &[("filter, should only match a subset, some items don't have annotations, error on missing items", template, "", true)],
        &data,
        false,
    );
}

fn fake_containers(n: usize) -> Value {
    let containers: Vec<Value> = (0..n).map(|i| json!({"image": "radial/busyboxplus:curl", "name": format!("fake{i}")})).collect();
    json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": containers}})
}

#[test]
fn test_negative_index() {
    let tests: &[Case] = &[
        ("test containers[0], it equals containers[0]", "{.spec.containers[0].name}", "fake0", false),
        ("test containers[0:0], it equals the empty set", "{.spec.containers[0:0].name}", "", false),
        ("test containers[0:-1], it equals containers[0:3]", "{.spec.containers[0:-1].name}", "fake0 fake1 fake2", false),
        ("test containers[-1:0], expect error", "{.spec.containers[-1:0].name}", "", true),
        ("test containers[-1], it equals containers[3]", "{.spec.containers[-1].name}", "fake3", false),
        ("test containers[-1:], it equals containers[3:]", "{.spec.containers[-1:].name}", "fake3", false),
        ("test containers[-2], it equals containers[2]", "{.spec.containers[-2].name}", "fake2", false),
        ("test containers[-2:], it equals containers[2:]", "{.spec.containers[-2:].name}", "fake2 fake3", false),
        ("test containers[-3], it equals containers[1]", "{.spec.containers[-3].name}", "fake1", false),
        ("test containers[-4], it equals containers[0]", "{.spec.containers[-4].name}", "fake0", false),
        ("test containers[-4:], it equals containers[0:]", "{.spec.containers[-4:].name}", "fake0 fake1 fake2 fake3", false),
        ("test containers[-5], expect a error cause it out of bounds", "{.spec.containers[-5].name}", "", true),
        ("test containers[5:5], expect empty set", "{.spec.containers[5:5].name}", "", false),
        ("test containers[-5:-5], expect empty set", "{.spec.containers[-5:-5].name}", "", false),
        ("test containers[3:1], expect a error cause start index is greater than end index", "{.spec.containers[3:1].name}", "", true),
        (
            "test containers[-1:-2], it equals containers[3:2], expect a error cause start index is greater than end index",
            "{.spec.containers[-1:-2].name}",
            "",
            true,
        ),
    ];
    test_json_path(tests, &fake_containers(4), false);
}

#[test]
fn test_running_pods_json_path_output() {
    let data = json!({"kind": "List", "items": [
        {"kind": "Pod", "metadata": {"name": "pod1"}, "status": {"phase": "Running"}},
        {"kind": "Pod", "metadata": {"name": "pod2"}, "status": {"phase": "Running"}},
        {"kind": "Pod", "metadata": {"name": "pod3"}, "status": {"phase": "Running"}},
        {"resourceVersion": ""}
    ]});
    test_json_path(
        &[(
            "range over pods without selecting the last one",
            r#"{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\n"}{end}"#,
            "pod1 is Running\npod2 is Running\npod3 is Running\n",
            false,
        )],
        &data,
        true,
    );
}

#[test]
fn test_step() {
    let tests: &[Case] = &[
        ("test containers[0:], it equals containers[0:6:1]", "{.spec.containers[0:].name}", "fake0 fake1 fake2 fake3 fake4 fake5", false),
        (
            "test containers[0:6:], it equals containers[0:6:1]",
            "{.spec.containers[0:6:].name}",
            "fake0 fake1 fake2 fake3 fake4 fake5",
            false,
        ),
        ("test containers[0:6:1]", "{.spec.containers[0:6:1].name}", "fake0 fake1 fake2 fake3 fake4 fake5", false),
        ("test containers[0:6:0], it errors", "{.spec.containers[0:6:0].name}", "", true),
        ("test containers[0:6:-1], it errors", "{.spec.containers[0:6:-1].name}", "", true),
        ("test containers[1:4:2]", "{.spec.containers[1:4:2].name}", "fake1 fake3", false),
        ("test containers[1:4:3]", "{.spec.containers[1:4:3].name}", "fake1", false),
        ("test containers[1:4:4]", "{.spec.containers[1:4:4].name}", "fake1", false),
        ("test containers[0:6:2]", "{.spec.containers[0:6:2].name}", "fake0 fake2 fake4", false),
        ("test containers[0:6:3]", "{.spec.containers[0:6:3].name}", "fake0 fake3", false),
        ("test containers[0:6:5]", "{.spec.containers[0:6:5].name}", "fake0 fake5", false),
        ("test containers[0:6:6]", "{.spec.containers[0:6:6].name}", "fake0", false),
    ];
    test_json_path(tests, &fake_containers(6), false);
}

/// Go's `Node.String()` for each node, in parser_test.go's collectNode order.
fn collect_node(out: &mut Vec<String>, node: &Node) {
    let param = |p: &Param| format!("{{{} {} {}}}", p.value, p.known, p.derived);
    match node {
        Node::List(nodes) => {
            out.push("NodeList".into());
            nodes.iter().for_each(|n| collect_node(out, n));
        }
        Node::Text(t) => out.push(format!("NodeText: {t}")),
        Node::Field(f) => out.push(format!("NodeField: {f}")),
        Node::Identifier(i) => out.push(format!("NodeIdentifier: {i}")),
        Node::Array(p) => out.push(format!("NodeArray: [{}]", p.iter().map(param).collect::<Vec<_>>().join(" "))),
        Node::Filter { left, right, op } => {
            out.push(format!("NodeFilter: NodeList {op} NodeList"));
            collect_node(out, &Node::List(left.clone()));
            collect_node(out, &Node::List(right.clone()));
        }
        Node::Int(i) => out.push(format!("NodeInt: {i}")),
        Node::Float(f) => out.push(format!("NodeFloat: {f:.6}")),
        Node::Bool(b) => out.push(format!("NodeBool: {b}")),
        Node::Wildcard => out.push("NodeWildcard".into()),
        Node::Recursive => out.push("NodeRecursive".into()),
        Node::Union(lists) => {
            out.push("NodeUnion".into());
            lists.iter().for_each(|l| collect_node(out, &Node::List(l.clone())));
        }
    }
}

#[test]
fn test_parser() {
    let filter = |op: &str| format!("NodeFilter: NodeList {op} NodeList");
    let os_image = |text: &str| {
        vec![
            "NodeList".to_string(),
            filter("=="),
            "NodeList".into(),
            "NodeField: status".into(),
            "NodeField: nodeInfo".into(),
            "NodeField: osImage".into(),
            "NodeList".into(),
            format!("NodeText: {text}"),
        ]
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let parser_tests: Vec<(&str, &str, Vec<String>)> = vec![
        ("plain", "hello jsonpath", s(&["NodeText: hello jsonpath"])),
        ("variable", "hello {.jsonpath}", s(&["NodeText: hello ", "NodeList", "NodeField: jsonpath"])),
        ("arrayfiled", "hello {['jsonpath']}", s(&["NodeText: hello ", "NodeList", "NodeField: jsonpath"])),
        ("quote", r#"{"{"}"#, s(&["NodeList", "NodeText: {"])),
        ("array", "{[1:3]}", s(&["NodeList", "NodeArray: [{1 true false} {3 true false} {0 false false}]"])),
        (
            "allarray",
            "{.book[*].author}",
            s(&["NodeList", "NodeField: book", "NodeArray: [{0 false false} {0 false false} {0 false false}]", "NodeField: author"]),
        ),
        ("wildcard", "{.bicycle.*}", s(&["NodeList", "NodeField: bicycle", "NodeWildcard"])),
        ("filter", "{[?(@.price<3)]}", s(&["NodeList", &filter("<"), "NodeList", "NodeField: price", "NodeList", "NodeInt: 3"])),
        ("recursive", "{..}", s(&["NodeList", "NodeRecursive"])),
        ("recurField", "{..price}", s(&["NodeList", "NodeRecursive", "NodeField: price"])),
        ("arraydict", "{['book.price']}", s(&["NodeList", "NodeField: book", "NodeField: price"])),
        (
            "union",
            "{['bicycle.price', 3, 'book.price']}",
            s(&[
                "NodeList",
                "NodeUnion",
                "NodeList",
                "NodeField: bicycle",
                "NodeField: price",
                "NodeList",
                "NodeArray: [{3 true false} {4 true true} {0 false false}]",
                "NodeList",
                "NodeField: book",
                "NodeField: price",
            ]),
        ),
        (
            "range",
            "{range .items}{.name},{end}",
            s(&[
                "NodeList",
                "NodeIdentifier: range",
                "NodeField: items",
                "NodeList",
                "NodeField: name",
                "NodeText: ,",
                "NodeList",
                "NodeIdentifier: end",
            ]),
        ),
        ("paired parentheses in quotes", r#"{[?(@.status.nodeInfo.osImage == "()")]}"#, os_image("()")),
        (
            "paired parentheses in double quotes and with double quotes escape",
            r#"{[?(@.status.nodeInfo.osImage == "(\"\")")]}"#,
            os_image("(\"\")"),
        ),
        ("unregular parentheses in double quotes", r#"{[?(@.test == "())(")]}"#, {
            s(&["NodeList", &filter("=="), "NodeList", "NodeField: test", "NodeList", "NodeText: ())("])
        }),
        ("plain text in single quotes", "{[?(@.status.nodeInfo.osImage == 'Linux')]}", os_image("Linux")),
        ("test filter suffix", r#"{[?(@.status.nodeInfo.osImage == "{[()]}")]}"#, os_image("{[()]}")),
        ("double inside single", r#"{[?(@.status.nodeInfo.osImage == "''")]}"#, os_image("''")),
        ("single inside double", r#"{[?(@.status.nodeInfo.osImage == '""')]}"#, os_image("\"\"")),
        ("single containing escaped single", r"{[?(@.status.nodeInfo.osImage == '\\\'')]}", os_image("\\'")),
        (
            "negative index slice, equals a[len-5] to a[len-1]",
            "{[-5:]}",
            s(&["NodeList", "NodeArray: [{-5 true false} {0 false false} {0 false false}]"]),
        ),
        ("negative index slice, equals a[len-1]", "{[-1]}", s(&["NodeList", "NodeArray: [{-1 true false} {0 true true} {0 false false}]"])),
        (
            "negative index slice, equals a[1] to a[len-1]",
            "{[1:-1]}",
            s(&["NodeList", "NodeArray: [{1 true false} {-1 true false} {0 false false}]"]),
        ),
    ];
    for (name, text, expect) in parser_tests {
        let parsed = Template::parse(text).unwrap_or_else(|e| panic!("parse {name} error {e}"));
        let mut result = Vec::new();
        parsed.nodes.iter().for_each(|n| collect_node(&mut result, n));
        assert_eq!(result, expect, "in {name}");
    }
    assert!(Template::parse(r"{\\\}").is_err(), "unexpected non-error when parsing malformat input");
}

#[test]
fn test_fail_parser() {
    let fail_parser_tests = [
        ("unclosed action", "{.hello", "unclosed action"),
        ("unrecognized character", "{*}", "unrecognized character in action: U+002A '*'"),
        ("invalid number", "{+12.3.0}", "cannot parse number +12.3.0"),
        ("unterminated array", "{[1}", "unterminated array"),
        ("unterminated filter", "{[?(.price]}", "unterminated filter"),
        ("invalid multiple recursive descent", "{........}", "invalid multiple recursive descent"),
    ];
    for (name, text, err) in fail_parser_tests {
        assert_eq!(Template::parse(text).err().as_deref(), Some(err), "in {name}");
    }
}

/// PrintResults: a map or list through encoding/json (keys sorted, HTML characters escaped),
/// anything else through fmt.Fprint (Go's float format).
#[test]
fn results_print_as_go_prints_them() {
    let data = json!({"a": {"z": "<b> & </b>", "b": [1.5, 1e21, 0.0000001]}, "big": 1234567.0, "small": 0.0001, "tiny": 0.00001});
    let print = |t: &str| execute(&Template::parse(t).unwrap(), &data, true, NULL_AS_JSON).unwrap();
    assert_eq!(print("{.a}"), r#"{"b":[1.5,1e+21,1e-7],"z":"\u003cb\u003e \u0026 \u003c/b\u003e"}"#);
    assert_eq!(print("{.a.z}"), "<b> & </b>");
    assert_eq!(print("{.big} {.small} {.tiny}"), "1.234567e+06 0.0001 1e-05");
    // A null is `null` where a path reaches it, but a `range` element re-enters as Go's zero
    // reflect.Value (`<no value>`).
    let nulls = json!({"l": [null, 1]});
    let run = |t: &str| execute(&Template::parse(t).unwrap(), &nulls, true, NULL_AS_JSON).unwrap();
    assert_eq!(run("{.l[0]} {.l}"), "null [null,1]");
    assert_eq!(run("{range .l[*]}[{@}]{end}"), "[<no value>][1]");
    // Several results of one action are joined by a space; actions are not.
    assert_eq!(print("{.a.b[*]}{.a.b[0]}"), "1.5 1e+21 1e-071.5");
}

/// The debugging dump of a failed template is Go's `%#v` of the unstructured object.
#[test]
fn execute_errors_dump_the_object_as_go_syntax() {
    let data = json!({"items": [{"n": 1, "s": "a\"b", "nil": null, "ok": true}], "kind": "List"});
    let template = "{.items[3]}";
    let err = print_obj(template, &printer(template).unwrap(), &data, true, NULL_AS_JSON).unwrap_err();
    assert_eq!(
        err,
        "error: error executing jsonpath \"{.items[3]}\": Error executing template: array index out of bounds: index 3, length 1. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.items[3]}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"items\":[]interface {}{map[string]interface {}{\"n\":1, \"nil\":interface {}(nil), \"ok\":true, \"s\":\"a\\\"b\"}}, \"kind\":\"List\"}\n\n\n"
    );
    assert_eq!(
        execute(&Template::parse("{.kind[?(@.x)]}").unwrap(), &data, true, NULL_AS_JSON).unwrap_err(),
        "List is not array or slice and cannot be filtered"
    );
    assert_eq!(
        execute(&Template::parse(r#"{.items[?(@.n=="1")]}"#).unwrap(), &data, true, NULL_AS_JSON).unwrap_err(),
        "incompatible types for comparison"
    );
    assert_eq!(
        execute(&Template::parse("{.items[?(@.nil==1)]}").unwrap(), &data, true, NULL_AS_JSON).unwrap_err(),
        "invalid type for comparison"
    );
}

/// Chained recursive descents multiply the values; past the budget the template stops with an
/// error instead of running away.
#[test]
fn runaway_templates_stop_with_an_error() {
    let data = Value::Array((0..1000).map(|_| Value::Array((0..1000).map(Value::from).collect())).collect());
    let err = execute(&Template::parse("{..[*]..[*]..}").unwrap(), &data, true, NULL_AS_JSON).unwrap_err();
    assert_eq!(err, format!("podplay stops this template: it produces more than {MAX_RESULTS} values"));
    // Nested ranges recurse once per level: a bound instead of a stack overflow.
    let deep = format!("{}{}", "{range @}".repeat(MAX_RANGE_NESTING + 1), "{end}".repeat(MAX_RANGE_NESTING + 1));
    let err = execute(&Template::parse(&deep).unwrap(), &json!({}), true, NULL_AS_JSON).unwrap_err();
    assert_eq!(err, format!("podplay stops this template: its ranges nest deeper than {MAX_RANGE_NESTING}"));
    let within = format!("{}{{.a}}{}", "{range @}".repeat(MAX_RANGE_NESTING), "{end}".repeat(MAX_RANGE_NESTING));
    assert_eq!(execute(&Template::parse(&within).unwrap(), &json!({"a": 1}), true, NULL_AS_JSON).unwrap(), "1");
    // One pass over the same data stays within it.
    let flat = execute(&Template::parse("{[999][999]}").unwrap(), &data, true, NULL_AS_JSON).unwrap();
    assert_eq!(flat, "999");
}
