// Optional configuration members of CreateFunction / UpdateFunctionConfiguration (see
// optional_config.h).
#include "lambda/optional_config.h"

#include <string>

namespace cdnlab::lambda {

namespace {

bool absent(const rapidjson::Value& body, const char* field) {
  auto it = body.FindMember(field);
  return it == body.MemberEnd() || it->value.IsNull();
}

// An object member holds no entries, or only those listed with the value that means "off".
bool emptyOrOff(const rapidjson::Value& v) {
  if (v.IsArray()) return v.Empty();
  if (!v.IsObject()) return false;
  for (auto& m : v.GetObject()) {
    if (m.value.IsNull()) continue;
    if (m.value.IsArray() && m.value.Empty()) continue;
    if (m.value.IsString() && m.value.GetStringLength() == 0) continue;
    return false;
  }
  return true;
}

ApiError unsupported(const char* field, const char* why) {
  return invalidParameter(std::string("cdnlab lambda does not support ") + field + ": " + why);
}

std::optional<ApiError> refuseUnsupported(const rapidjson::Value& body, const std::string& functionName) {
  struct Member { const char* field; const char* why; };
  for (auto [field, why] : {Member{"Layers", "functions run with the code in their own zip only."},
                            Member{"DeadLetterConfig", "use PutFunctionEventInvokeConfig's DestinationConfig.OnFailure, or the on-failure log."},
                            Member{"VpcConfig", "functions run on this machine and reach services over loopback."},
                            Member{"FileSystemConfigs", "there is no EFS to mount."},
                            Member{"ImageConfig", "functions are Zip packages."}}) {
    auto it = body.FindMember(field);
    if (it != body.MemberEnd() && !it->value.IsNull() && !emptyOrOff(it->value)) return unsupported(field, why);
  }
  if (auto it = body.FindMember("SnapStart"); it != body.MemberEnd() && !it->value.IsNull()) {
    auto apply = it->value.IsObject() ? it->value.FindMember("ApplyOn") : it->value.MemberEnd();
    bool off = it->value.IsObject() && (apply == it->value.MemberEnd() ||
                                        (apply->value.IsString() && std::string(apply->value.GetString()) == "None"));
    if (!off) return unsupported("SnapStart", "environments start from scratch (ApplyOn None only).");
  }
  if (auto it = body.FindMember("LoggingConfig"); it != body.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsObject()) return invalidRequestContent("LoggingConfig must be an object");
    for (auto& m : it->value.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      std::string value = m.value.IsString() ? std::string(m.value.GetString(), m.value.GetStringLength()) : "";
      if (m.value.IsNull()) continue;
      if (key == "LogFormat" && value == "Text") continue;
      if (key == "LogGroup" && value == "/aws/lambda/" + functionName) continue;
      return unsupported("LoggingConfig", "logs are plain text in the function's own log (LogFormat Text, the default group).");
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> applyOptionalConfig(FunctionConfig& c, const rapidjson::Value& body, const std::string& functionName) {
  if (auto e = refuseUnsupported(body, functionName)) return e;
  if (!absent(body, "TracingConfig")) {
    const auto& t = body["TracingConfig"];
    if (!t.IsObject()) return invalidRequestContent("TracingConfig must be an object");
    auto mode = getString(t, "Mode");
    if (!mode) return invalidRequestContent(mode.error().message);
    if (*mode) {
      if (**mode != "Active" && **mode != "PassThrough")
        return validationError(**mode, "tracingConfig.mode", "Member must satisfy enum value set: [Active, PassThrough]");
      c.tracingMode = **mode;
    }
  }
  if (!absent(body, "EphemeralStorage")) {
    const auto& e = body["EphemeralStorage"];
    if (!e.IsObject()) return invalidRequestContent("EphemeralStorage must be an object");
    auto size = getInt(e, "Size");
    if (!size) return invalidRequestContent(size.error().message);
    if (!*size) return validationError("null", "ephemeralStorage.size", "Member must not be null");
    if (**size < 512) return validationError(std::to_string(**size), "ephemeralStorage.size", "Member must have value greater than or equal to 512");
    if (**size > 10240) return validationError(std::to_string(**size), "ephemeralStorage.size", "Member must have value less than or equal to 10240");
    c.ephemeralStorageMb = static_cast<int>(**size);
  }
  return std::nullopt;
}

}  // namespace cdnlab::lambda
