// DestinationConfig checks (destination_config.h), in AWS's order: the shape, the ARN's pattern
// and length (ValidationException), then whether the destination can be used.
#include "lambda/destination_config.h"

#include <regex>
#include <string>

namespace cdnlab::lambda {
namespace {

// OnFailure.Destination's constraint in the Lambda API reference (event source mappings).
constexpr const char* kArnPattern =
    "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";

}  // namespace

std::optional<ApiError> checkDestinationConfig(const rapidjson::Value& config) {
  if (!config.IsObject()) return invalidRequestContent("DestinationConfig must be an object");
  if (auto s = config.FindMember("OnSuccess"); s != config.MemberEnd() && !s->value.IsNull()) {
    return invalidParameter("Unsupported DestinationConfig parameter for given event source mapping type: OnSuccess.");
  }
  auto f = config.FindMember("OnFailure");
  if (f == config.MemberEnd() || f->value.IsNull()) return std::nullopt;
  if (!f->value.IsObject()) return invalidRequestContent("DestinationConfig.OnFailure must be an object");
  auto d = f->value.FindMember("Destination");
  if (d == f->value.MemberEnd() || d->value.IsNull()) {
    return invalidParameter("The Destination field is required for an OnFailure configuration.");
  }
  if (!d->value.IsString()) return invalidRequestContent("DestinationConfig.OnFailure.Destination must be a string");
  std::string arn(d->value.GetString(), d->value.GetStringLength());
  const std::string field = "destinationConfig.onFailure.destination";
  if (arn.size() > 1024) return validationError(arn.substr(0, 64) + "...", field, "Member must have length less than or equal to 1024");
  if (arn.size() < 12) return validationError(arn, field, "Member must have length greater than or equal to 12");
  static const std::regex pattern(kArnPattern);
  if (!std::regex_match(arn, pattern)) {
    return validationError(arn, field, std::string("Member must satisfy regular expression pattern: ") + kArnPattern);
  }
  // arn:partition:service:...: only these services can take a stream's on-failure record.
  size_t serviceStart = arn.find(':', 4) + 1;
  std::string service = arn.substr(serviceStart, arn.find(':', serviceStart) - serviceStart);
  if (service != "sqs" && service != "sns" && service != "s3") {
    return invalidParameter("Unsupported destination ARN " + arn +
                            ": the on-failure destination of a DynamoDB stream must be an Amazon SQS queue, "
                            "Amazon SNS topic or Amazon S3 bucket.");
  }
  return invalidParameter("The destination " + arn + " cannot be used: cdnlab lambda has no " +
                          (service == "sqs" ? "SQS queues" : service == "sns" ? "SNS topics" : "S3 buckets") +
                          "; a batch that fails for good is recorded in the function's on-failure log stream instead.");
}

}  // namespace cdnlab::lambda
