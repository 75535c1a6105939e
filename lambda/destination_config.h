// An event source mapping's DestinationConfig, checked as AWS checks it. AWS sends the record of
// a stream batch that failed for good to an SQS queue, SNS topic or S3 bucket; the project has
// none of these, so a well-formed destination is refused (InvalidParameterValueException, as AWS
// answers a destination it cannot use) and the mapping's on-failure log stands in. The forms
// meaning "no destination" ({} and {"OnFailure": null}) are accepted.
#pragma once

#include <rapidjson/document.h>

#include <optional>

#include "lambda/api_error.h"

namespace cdnlab::lambda {

// Why `config` (the request's DestinationConfig member) is refused, or nullopt when it sets no
// destination.
std::optional<ApiError> checkDestinationConfig(const rapidjson::Value& config);

}  // namespace cdnlab::lambda
