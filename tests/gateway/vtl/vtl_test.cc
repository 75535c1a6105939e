// Mapping templates: AWS's documented examples rendered and compared with the documented output,
// the Velocity rules templates rely on, and refusals naming template:line:column.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "gateway/vtl/functions.h"
#include "gateway/vtl/parser.h"
#include "gateway/vtl/renderer.h"

namespace cdnlab::gateway::vtl {
namespace {

Value strMap(std::initializer_list<std::pair<const char*, const char*>> kv) {
  Value m = Value::map();
  for (const auto& [k, v] : kv) m.asMap().put(k, Value(v));
  return m;
}

RenderInput input(std::string_view body = "") {
  RenderInput in;
  in.body = body;
  in.params = Value::map();
  in.params.asMap().put("path", Value::map());
  in.params.asMap().put("querystring", Value::map());
  in.params.asMap().put("header", Value::map());
  in.context = Value::map();
  in.stageVariables = Value::map();
  return in;
}

Result<std::string> run(std::string_view tpl, RenderInput in, const Limits& limits = {}) {
  auto t = parseTemplate("application/json", tpl);
  if (!t) return t.error();
  return render(**t, in, limits);
}

std::string ok(std::string_view tpl, RenderInput in) {
  auto r = run(tpl, std::move(in));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : "";
}

// Both texts parse as JSON and are the same JSON value.
void expectSameJson(const std::string& got, const std::string& want) {
  rapidjson::Document g, w;
  ASSERT_FALSE(g.Parse(got.c_str()).HasParseError()) << "not JSON:\n" << got;
  ASSERT_FALSE(w.Parse(want.c_str()).HasParseError()) << want;
  EXPECT_TRUE(g == w) << "got:\n" << got << "\nwant:\n" << want;
}

// "Mapping template transformations": the PetStore response template.
TEST(Vtl, PetStoreResponseTemplateFromTheDocs) {
  const char* tpl = R"(#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]
)";
  std::string out = ok(tpl, input(R"([{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},
                                     {"id":3,"type":"fish","price":0.99}])"));
  expectSameJson(out, R"([{"description":"Item 1 is a dog.","askingPrice":249.99},
                          {"description":"Item 2 is a cat.","askingPrice":124.99},
                          {"description":"Item 3 is a fish.","askingPrice":0.99}])");
  // The directive lines leave nothing behind: no blank first line.
  EXPECT_EQ(out.substr(0, 2), "[\n");
}

// "Examples using variables for mapping template transformations", example 1.
TEST(Vtl, ContextVariablesExampleFromTheDocs) {
  RenderInput in = input();
  in.context.asMap().put("stage", Value("prod"));
  in.context.asMap().put("requestId", Value("abcdefg-000-000-0000-abcdefg"));
  in.context.asMap().put("apiId", Value("abcd1234"));
  in.context.asMap().put("resourcePath", Value("/"));
  in.context.asMap().put("resourceId", Value("efg567"));
  in.context.asMap().put("httpMethod", Value("GET"));
  Value identity = strMap({{"sourceIp", "192.0.2.1"}, {"userAgent", "curl/7.84.0"}, {"accountId", "111122223333"},
                           {"apiKey", "MyTestKey"}, {"caller", "ABCD-0000-12345"}, {"user", "ABCD-0000-12345"},
                           {"userArn", "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"}});
  in.context.asMap().put("identity", identity);
  std::string out = ok(R"({
    "stage" : "$context.stage",
    "request_id" : "$context.requestId",
    "api_id" : "$context.apiId",
    "resource_path" : "$context.resourcePath",
    "resource_id" : "$context.resourceId",
    "http_method" : "$context.httpMethod",
    "source_ip" : "$context.identity.sourceIp",
    "user-agent" : "$context.identity.userAgent",
    "account_id" : "$context.identity.accountId",
    "api_key" : "$context.identity.apiKey",
    "caller" : "$context.identity.caller",
    "user" : "$context.identity.user",
    "user_arn" : "$context.identity.userArn"
})",
                       in);
  expectSameJson(out, R"({"stage":"prod","request_id":"abcdefg-000-000-0000-abcdefg","api_id":"abcd1234",
    "resource_path":"/","resource_id":"efg567","http_method":"GET","source_ip":"192.0.2.1","user-agent":"curl/7.84.0",
    "account_id":"111122223333","api_key":"MyTestKey","caller":"ABCD-0000-12345","user":"ABCD-0000-12345",
    "user_arn":"arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"})");
}

// Example 2: every request parameter passed through as JSON.
TEST(Vtl, AllParamsPassthroughExampleFromTheDocs) {
  RenderInput in = input();
  in.params.asMap().put("path", strMap({{"path1", "value1"}}));
  in.params.asMap().put("querystring", strMap({{"query1", "value2"}}));
  in.params.asMap().put("header", strMap({{"header1", "value3"}}));
  std::string out = ok(R"J(#set($allParams = $input.params())
{
  "params" : {
    #foreach($type in $allParams.keySet())
    #set($params = $allParams.get($type))
    "$type" : {
      #foreach($paramName in $params.keySet())
      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
      #if($foreach.hasNext),#end
      #end
    }
    #if($foreach.hasNext),#end
    #end
  }
}
)J",
                       in);
  expectSameJson(out, R"({"params":{"path":{"path1":"value1"},"querystring":{"query1":"value2"},
                          "header":{"header1":"value3"}}})");
}

// The DynamoDB PutItem request and Query response templates of AWS's "comments" walkthrough.
TEST(Vtl, DynamoDbTemplates) {
  RenderInput in = input(R"({"pageId":"breaking-news-story-01-18-2016","userName":"Just Saying Thank You",
                             "message":"I really enjoyed this story!!"})");
  in.context.asMap().put("requestId", Value("req-1"));
  std::string put = ok(R"J({
    "TableName": "Comments",
    "Item": {
        "commentId": {"S": "$context.requestId"},
        "pageId": {"S": "$input.path('$.pageId')"},
        "userName": {"S": "$input.path('$.userName')"},
        "message": {"S": "$input.path('$.message')"}
    }
})J",
                       in);
  expectSameJson(put, R"({"TableName":"Comments","Item":{"commentId":{"S":"req-1"},
    "pageId":{"S":"breaking-news-story-01-18-2016"},"userName":{"S":"Just Saying Thank You"},
    "message":{"S":"I really enjoyed this story!!"}}})");

  std::string resp = ok(R"(#set($inputRoot = $input.path('$'))
{
    "comments": [
        #foreach($elem in $inputRoot.Items) {
            "commentId": "$elem.commentId.S",
            "userName": "$elem.userName.S",
            "message": "$elem.message.S"
        }#if($foreach.hasNext),#end
	#end
    ]
})",
                        input(R"({"Count":2,"Items":[{"commentId":{"S":"a"},"userName":{"S":"u1"},"message":{"S":"m1"}},
                                                      {"commentId":{"S":"b"},"userName":{"S":"u2"},"message":{"S":"m2"}}]})"));
  expectSameJson(resp, R"({"comments":[{"commentId":"a","userName":"u1","message":"m1"},
                                        {"commentId":"b","userName":"u2","message":"m2"}]})");
}

TEST(Vtl, InputJsonAndPath) {
  RenderInput in = input(R"({"a":{"b":"x\"y","n":[1,2.5,true,null]},"s":"t"})");
  EXPECT_EQ(ok("$input.json('$')", in), R"({"a":{"b":"x\"y","n":[1,2.5,true,null]},"s":"t"})");
  EXPECT_EQ(ok("$input.json('$.a.b')", in), R"("x\"y")");
  EXPECT_EQ(ok("$input.json('$.a.n[1]')", in), "2.5");
  EXPECT_EQ(ok("$input.json('$.missing')", in), "\"\"");
  EXPECT_EQ(ok("$input.path('$.a.b')", in), "x\"y");
  EXPECT_EQ(ok("$input.path('$.a.n').size() $input.path('$.a.n')[0] $input.path('$.a').keySet()", in), "4 1 [b, n]");
  EXPECT_EQ(ok("$input.path('$.a')", in), "{b=x\"y, n=[1, 2.5, true, null]}");
  EXPECT_EQ(ok("$input.path(\"$['a']['b']\")", in), "x\"y");
  EXPECT_EQ(ok("[$input.path('$.missing')]", in), "[]");
  EXPECT_EQ(ok("$input.body", in), in.body);
  EXPECT_EQ(ok("$input.json('$')", input("")), "{}");
  auto bad = run("$input.json('$')", input("{not json"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, 400);
  EXPECT_NE(bad.error().message.find("Could not parse request body into json"), std::string::npos);
  // $input.body never parses the body, so non-JSON bodies pass through.
  EXPECT_EQ(ok("$input.body", input("{not json")), "{not json");
}

TEST(Vtl, JsonPathIndexWithoutDigitsIsAnError) {
  // Found by fuzz/vtl: "[-]" reached std::stol, whose exception ended the process.
  for (const char* path : {"$.items[-]", "$.items[]", "$.items[--1]", "$.items[1234567890]"}) {
    auto r = jsonPath(Value::list(), path);
    EXPECT_FALSE(r.ok()) << path;
  }
  auto r = run("$input.json('$.items[-]')", input(R"({"items":[1,2]})"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(ok("$input.json('$.items[-1]')", input(R"({"items":[1,2]})")), "2");
}

TEST(Vtl, InputParams) {
  RenderInput in = input();
  in.params.asMap().put("path", strMap({{"id", "7"}}));
  in.params.asMap().put("querystring", strMap({{"q", "shoes"}, {"id", "shadowed"}}));
  in.params.asMap().put("header", strMap({{"X-Trace", "t1"}}));
  EXPECT_EQ(ok("$input.params('id') $input.params('q') $input.params('x-trace') [$input.params('none')]", in),
            "7 shoes t1 []");
  EXPECT_EQ(ok("$input.params().querystring.q $input.params().header.get('X-Trace') $input.params().path.size()", in),
            "shoes t1 1");
}

TEST(Vtl, Util) {
  EXPECT_EQ(escapeJavaScript("It's \"q\"\n/\\\t\x01 é😀"), "It\\'s \\\"q\\\"\\n\\/\\\\\\t\\u0001 \\u00E9\\uD83D\\uDE00");
  EXPECT_EQ(urlEncode("a b&c=d/é*~"), "a+b%26c%3Dd%2F%C3%A9*%7E");
  EXPECT_EQ(urlDecode("a+b%26c%3Dd%2F%C3%A9").value(), "a b&c=d/é");
  EXPECT_FALSE(urlDecode("%4").ok());
  RenderInput in = input();
  EXPECT_EQ(ok("$util.base64Encode('hello') $util.base64Decode('aGVsbG8=') $util.urlEncode('a b')", in),
            "aGVsbG8= hello a+b");
  EXPECT_EQ(ok("#set($o = $util.parseJson('{\"k\":[1,{\"z\":\"w\"}]}'))$o.k[1].z $o.k.size()", in), "w 2");
  EXPECT_EQ(ok("$util.escapeJavaScript($input.path('$.m'))", input(R"({"m":"say \"hi\""})")), "say \\\"hi\\\"");
}

TEST(Vtl, StageVariablesAndResponseOverride) {
  RenderInput in = input();
  in.stageVariables.asMap().put("table", Value("items"));
  in.context.asMap().put("responseOverride", Value::map());
  in.context.asMap().find("responseOverride")->asMap().put("header", Value::map());
  EXPECT_EQ(ok("#set($context.responseOverride.status = 404)#set($context.responseOverride.header.Foo = 'z')"
               "$stageVariables.table",
               in),
            "items");
  const Value& ro = *in.context.asMap().find("responseOverride");
  EXPECT_EQ(ro.asMap().find("status")->asInt(), 404);
}

TEST(Vtl, DirectivesAndOperators) {
  RenderInput in = input(R"({"n":3,"s":"abc","list":["x","y","z"]})");
  EXPECT_EQ(ok("#if($input.path('$.n') > 2 && $input.path('$.s') == 'abc')big#elseif($input.path('$.n') == 2)two#{else}small#end",
               in),
            "big");
  EXPECT_EQ(ok("#set($n = 2)#if($n gt 2)big#elseif($n == 2)two#else small#end", in), "two");
  EXPECT_EQ(ok("#if(!$nothing)none#end #if($nothing || 1 < 2)yes#end #if(not true)no#{else}else#end", in), "none yes else");
  EXPECT_EQ(ok("#foreach($x in $input.path('$.list'))$velocityCount:$x:$foreach.index#if($foreach.hasNext),#end#end", in),
            "1:x:0,2:y:1,3:z:2");
  EXPECT_EQ(ok("#foreach($i in [1..3])$i#end #foreach($i in [3..1])$i#end", in), "123 321");
  EXPECT_EQ(ok("#foreach($i in [1..9])#if($i > 2)#break#end$i#end", in), "12");
  EXPECT_EQ(ok("#set($a = 7)#set($b = $a * 2 + 1)$b $a / 2 #set($c = $a / 2)$c #set($d = 1.5 * 2)$d", in),
            "15 7 / 2 3 3.0");
  EXPECT_EQ(ok("#set($m = {\"k\": \"v\", \"n\": 1})$m.k $m.n $m.size() #set($l = [])#set($ignored = $l.add('a'))$l", in),
            "v 1 2 [a]");
  EXPECT_EQ(ok("#set($s = \"x${input.path('$.s')}y\")$s.length() $s.toUpperCase() $s.contains('abc') "
               "$s.replace('ab', '-') $s.substring(1, 3) $s.equals('xabcy') '$s'",
               in),
            "5 XABCY true x-cy ab true 'xabcy'");
  EXPECT_EQ(ok("$!{nothing}[$!nothing][$nothing]", in), "[][]");
  EXPECT_EQ(ok("a## comment\nb#* block\ncomment *#c", in), "abc");
  EXPECT_EQ(ok("\\$x and \\#if $5.00 #notadirective", in), "$x and #if $5.00 #notadirective");
  EXPECT_EQ(ok("#set($x = 'a')#set($x = $nothing)$x", in), "a");  // a null value is not assigned
  EXPECT_EQ(ok("$input.path('$.s').replaceAll('[bc]', '_')", in), "a__");
}

TEST(Vtl, WhitespaceOfDirectiveLines) {
  RenderInput in = input();
  EXPECT_EQ(ok("a\n  #set($x = 1)\n  #if($x == 1)\n  b\n  #end\nc\n", in), "a\n  b\nc\n");
}

TEST(Vtl, RefusesWhatIsOutsideTheSubset) {
  auto t = parseTemplate("application/json", "{\n  #macro(x)\n#end\n}");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "application/json:2:3: #macro is not supported in mapping templates");
  auto u = parseTemplate("application/json", "#if($a)\nopen");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message, "application/json:1:1: #if without its #end");
  auto v = parseTemplate("text/plain", "x\n#end");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "text/plain:2:1: #end without a matching #if or #foreach");
  auto w = parseTemplate("application/json", "#set($a = )");
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("application/json:1:11:"), std::string::npos);
  auto r = run("x\n $input.foo()", input());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("application/json:2:8: $input.foo() is not supported", 0), 0u) << r.error().message;
  auto m = run("#set($s = 'a')$s.frobnicate()", input());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find(".frobnicate() is not supported on a string"), std::string::npos);
}

TEST(Vtl, BoundedWhateverTheInput) {
  Limits small;
  small.maxIterations = 50;
  small.maxOutput = 64;
  auto loops = run("#foreach($i in [1..40])#foreach($j in [1..40])x#end#end", input(), small);
  ASSERT_FALSE(loops.ok());
  EXPECT_NE(loops.error().message.find("#foreach iterations"), std::string::npos);
  auto big = run("#foreach($i in [1..40])abc#end", input(), small);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("output larger than 64 bytes"), std::string::npos);
  // Nesting in the template and in the body is refused, not recursed into.
  std::string deep(200, '(');
  EXPECT_FALSE(parseTemplate("t", "#set($a = " + deep + "1" + std::string(200, ')') + ")").ok());
  // A megabyte of nesting in each recursive construct: refused at the depth bound, where the
  // recursive descent would otherwise overflow the stack.
  EXPECT_FALSE(parseTemplate("t", "#set($a = " + std::string(1000000, '(') + "1)").ok());
  EXPECT_FALSE(parseTemplate("t", "#set($a = " + std::string(1000000, '[') + "1)").ok());
  std::string megaIfs;
  for (int i = 0; i < 100000; ++i) megaIfs += "#if(true)";
  EXPECT_FALSE(parseTemplate("t", megaIfs).ok());
  std::string ifs;
  for (int i = 0; i < 100; ++i) ifs += "#if(true)";
  EXPECT_FALSE(parseTemplate("t", ifs).ok());
  std::string body = std::string(100000, '[') + std::string(100000, ']');
  auto r = run("$input.json('$')", input(body));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 400);
  // A list that holds itself prints with a bound, not forever.
  auto self = run("#set($l = [])#set($x = $l.add($l))#set($x = $l.add($l))$l.size()", input());
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(self.value(), "2");
}

// Lists and maps are shared by reference counts, so a container stored into itself would keep
// itself alive after the render: one leak per request. The render breaks such cycles and leaves
// every other container alone.
TEST(Vtl, ContainersStoredIntoThemselvesAreFreedAfterTheRender) {
  auto t = parseTemplate("application/json",
                         "#set($l = [1])#set($x = $l.add($l))#set($m = {})#set($m.self = $m)#set($m.l = $l)"
                         "#set($context.cyclic = $m)#set($tree = {\"a\": [1, 2]})#set($context.tree = $tree)"
                         "#set($context.requestOverride = {\"header\": {\"x\": \"1\"}})$l.size()");
  ASSERT_TRUE(t.ok()) << t.error().message;
  RenderInput in = input();
  Value context = in.context;
  auto out = render(**t, in, {});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out.value(), "2");  // the render itself saw the cycle
  const Value* cyclic = context.asMap().find("cyclic");
  ASSERT_NE(cyclic, nullptr);
  std::weak_ptr<Map> watch = std::get<std::shared_ptr<Map>>(cyclic->v);
  // What is not on a cycle is as the template left it, for the caller to read.
  const Value* tree = context.asMap().find("tree");
  ASSERT_NE(tree, nullptr);
  EXPECT_EQ(toJson(*tree), R"({"a":[1,2]})");
  const Value* override = context.asMap().find("requestOverride");
  ASSERT_NE(override, nullptr);
  EXPECT_EQ(toJson(*override), R"({"header":{"x":"1"}})");
  context = Value();
  in.context = Value();
  EXPECT_TRUE(watch.expired());  // nothing keeps the cycle's containers alive any more
}

TEST(Vtl, BreakCyclesClearsOneContainerPerCycleOnly) {
  Value a = Value::list(), b = Value::list(), leaf = Value::list();
  leaf.asList().push_back(Value(7));
  a.asList().push_back(b);
  b.asList().push_back(a);  // a -> b -> a
  a.asList().push_back(leaf);
  std::weak_ptr<List> wa = std::get<std::shared_ptr<List>>(a.v), wb = std::get<std::shared_ptr<List>>(b.v);
  breakCycles({a});
  // The walk from a meets a again below b (a back edge): a, the container it leads to, is
  // cleared; b and the leaf, on no cycle of their own, keep their elements.
  EXPECT_EQ(a.asList().size(), 0u);
  EXPECT_EQ(b.asList().size(), 1u);
  EXPECT_EQ(leaf.asList().size(), 1u);
  a = Value();
  b = Value();
  EXPECT_TRUE(wa.expired());
  EXPECT_TRUE(wb.expired());
}

}  // namespace
}  // namespace cdnlab::gateway::vtl

