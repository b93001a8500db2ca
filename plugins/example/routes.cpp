// routes.cpp - the example plugin's endpoints. Paths are relative to the host's base path, so
// "/example/hello/:name" is served at /api/v1/auth/example/hello/:name.
#include "error_codes.hpp"
#include "example.hpp"

#include <crow/error.hpp>
#include <crow/store.hpp>

#include <Poco/JSON/Object.h>

#include <random>

namespace example {
namespace {

// Better Auth's ids are 32 random alphanumerics; std::random_device reads the kernel's CSPRNG.
std::string newId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string id(32, '\0');
  for (char& c : id) c = kAlphabet[pick(random)];
  return id;
}

Poco::JSON::Object::Ptr noteJson(const crow::Row& row) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object();
  json->set("id", crow::asString(crow::field(row, "id")).value_or(""));
  json->set("text", crow::asString(crow::field(row, "text")).value_or(""));
  if (auto author = crow::asString(crow::field(row, "author"))) json->set("author", *author);
  else json->set("author", Poco::Dynamic::Var());
  if (auto createdAt = crow::asTimestamp(crow::field(row, "createdAt")))
    json->set("createdAt", crow::toIsoString(*createdAt));
  return json;
}

}  // namespace

void registerRoutes(crow::InitContext& context, const Options& options) {
  // Handlers run on request threads: capture what they need by value or as host-owned references
  // (the store and clock outlive every plugin), never the InitContext itself.
  crow::Store& store = context.store();
  const crow::Clock& clock = context.clock();

  context.route(
      crow::Method::Get, "/example/hello/:name",
      [greeting = options.greeting](crow::Request& request, crow::Response& response) {
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object();
        body->set("message", greeting + ", " + request.params.at("name") + "!");
        response.json(body);
      },
      {.summary = "Greets :name with the configured greeting"});

  context.route(
      crow::Method::Post, "/example/notes",
      [&store, &clock, maxLength = options.maxNoteLength](crow::Request& request, crow::Response& response) {
        Poco::JSON::Object::Ptr input = request.json();  // throws Better Auth's 400/415 errors
        if (!input->has("text") || !input->get("text").isString() || input->getValue<std::string>("text").empty())
          throw crow::ApiError(400, errors::NOTE_TEXT_REQUIRED);
        const std::string text = input->getValue<std::string>("text");
        if (static_cast<int64_t>(text.size()) > maxLength) throw crow::ApiError(400, errors::NOTE_TEXT_TOO_LONG);

        crow::Row row{{"id", newId()}, {"text", text}, {"createdAt", clock.now()}};
        if (input->has("author") && input->get("author").isString())
          row["author"] = input->getValue<std::string>("author").substr(0, 64);
        response.json(noteJson(store.create(kNoteTable, row)));
      },
      {.summary = "Creates a note"});

  context.route(
      crow::Method::Get, "/example/notes/:id",
      [&store](crow::Request& request, crow::Response& response) {
        std::optional<crow::Row> row = store.findOne(kNoteTable, {crow::eq("id", request.params.at("id"))});
        if (!row) throw crow::ApiError(404, errors::NOTE_NOT_FOUND);
        response.json(noteJson(*row));
      },
      {.summary = "Reads a note"});
}

}  // namespace example
