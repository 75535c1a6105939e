// The CreateFunction / UpdateFunctionConfiguration members beyond runtime, handler, role, memory,
// timeout and environment: TracingConfig and EphemeralStorage are checked, kept and shown back;
// the members this service cannot honour (Layers, DeadLetterConfig, VpcConfig, FileSystemConfigs,
// ImageConfig, JSON or redirected logs, SnapStart) are refused by name unless they carry AWS's
// "off" value, so nothing a user asks for is accepted and then ignored.
#pragma once

#include <optional>

#include <rapidjson/document.h>

#include "lambda/api_error.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

std::optional<ApiError> applyOptionalConfig(FunctionConfig& c, const rapidjson::Value& body, const std::string& functionName);

}  // namespace cdnlab::lambda
