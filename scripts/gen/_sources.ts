/**
 * The official SDK test suites the known answers come from: repository, file, the commit the file was read at, and
 * the tests that assert each value. Read through the public code index (find_files/read_file) in November 2026.
 * Where the index stored a revision without its commit, `version` says so instead of inventing one.
 *
 * @module
 */
import type { Source } from "./_common.ts";

const sdk = (name: string, repository: string, path: string, commit: string | undefined, tests: string[]): Source => ({
  name,
  version: commit ? commit.slice(0, 8) : "revision stored without a commit by the code index",
  repository,
  path,
  ...(commit ? { commit } : {}),
  tests,
});

const NODE = "pusher/pusher-http-node";
const GO = "pusher/pusher-http-go";
const PY = "pusher/pusher-http-python";
const PHP = "pusher/pusher-http-php";
const JAVA = "pusher/pusher-http-java";
const RUBY = "pusher/pusher-http-ruby";
const DOTNET = "pusher/pusher-http-dotnet";

const NODE_AUTH_TS = "04b5095d816a9625dde1c2b358104f9b1e1e8c0e"; // secret "tofu"
const NODE_AUTH_OLD = "ef83452d52179bfcc688e9cf8a47116b1c5ef1fc"; // secret "beef"
const NODE_AUTH_PATH = "tests/integration/pusher/authenticate.js";

/** SDK sources by short name. */
export const SRC = {
  nodeAuthorize: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher #authorizeChannel should prefix the signature with the app key",
    "Pusher #authorizeChannel should return correct authentication signatures with and without the channel data",
  ]),
  nodeAuthorizeEncrypted: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher with encryptionMasterKey #authorizeChannel should return a shared_secret for private-encrypted- channels",
  ]),
  nodeAuthorizeOthers: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher #authorizeChannel should return correct authentication signatures for different socket ids",
    "Pusher #authorizeChannel should return correct authentication signatures for different channels",
  ]),
  nodeAuthorizeSecrets: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher #authorizeChannel should return correct authentication signatures for different secrets",
  ]),
  nodeAuthorizeNonEncrypted: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher with encryptionMasterKey #authorizeChannel should not return a shared_secret for non-encrypted channels",
  ]),
  nodeAuthOld: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_OLD, [
    "Pusher #auth should return correct authentication signatures for different socket ids",
    "Pusher #auth should return correct authentication signatures for different channels",
    "Pusher #auth should return correct authentication signatures with and without the channel data",
    "Pusher #auth should return correct authentication signature with utf-8 in channel data",
  ]),
  nodeAuthOldEncrypted: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_OLD, [
    "Pusher with encryptionMasterKey #auth should return a shared_secret for private-encrypted- channels",
  ]),
  nodeUser: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher #authenticateUser should return correct authentication signatures for different user data",
    "Pusher #authenticateUser should return correct authentication signature with utf-8 in user data",
  ]),
  nodeUserSecrets: sdk("pusher-http-node", NODE, NODE_AUTH_PATH, NODE_AUTH_TS, [
    "Pusher #authenticateUser should return correct authentication signatures for different secrets",
  ]),
  nodeWebhook: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/webhook.js",
    "240dfa39d8a644a7cf5ab24efcead9edcfca4387",
    [
      "WebHook #isValid should return true for a webhook with correct signature",
    ],
  ),
  nodeWebhookMore: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/webhook.js",
    "240dfa39d8a644a7cf5ab24efcead9edcfca4387",
    [
      "WebHook #isValid should return false for a webhook with incorrect key",
      "WebHook #isValid should return false for a webhook with incorrect signature",
      "WebHook #isValid should return true if webhook is signed with the extra token",
      "WebHook #isValid should return true if webhook is signed with one of the extra tokens",
    ],
  ),
  nodeSignedQuery: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/pusher/create_signed_query_string.js",
    "6a4ad57cd715a89efbecfdbe658f8b49df54acf4",
    [
      "Pusher #createSignedQueryString when signing a body should set the auth_signature to a correct hash",
      "Pusher #createSignedQueryString when signing params should set the auth_signature to a correct hash",
    ],
  ),
  nodeSignedQueryOld: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/pusher/create_signed_query_string.js",
    "044be23e1018a66a1d81e3537a04037c5253fcc0",
    ["Pusher #createSignedQueryString when signing a body should set the auth_signature to a correct hash"],
  ),
  nodeTrigger: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/pusher/trigger.js",
    "08ee090f52378847b8e96a9694404b5f5e7f4ce9",
    [
      "Pusher #trigger should send the event to a single channel",
      "Pusher #trigger should send the event to multiple channels",
      "Pusher #trigger should serialize arrays into JSON",
      "Pusher #trigger should not serialize strings into JSON",
      "Pusher #trigger should add params to the request body",
      "Pusher #trigger should resolve to the response",
      "Pusher #trigger should reject with a RequestError if Pusher responds with 4xx",
      "Pusher #trigger should allow channel names with special characters: _ - = @ , . ;",
      "Pusher #trigger should respect the encryption, host and port config",
      "Pusher #triggerBatch should trigger multiple events in a single call",
      "Pusher #triggerBatch should stringify data before posting",
    ],
  ),
  nodePost: sdk(
    "pusher-http-node",
    NODE,
    "tests/integration/pusher/post.js",
    "240dfa39d8a644a7cf5ab24efcead9edcfca4387",
    [
      "Pusher #post should set the correct path and include the body",
    ],
  ),
  goPresence: sdk("pusher-http-go", GO, "channel_authentication_test.go", "cf054c8621bdceb5fe35f88f49cfcdff2f1ac34f", [
    "TestPresenceChannelAuthentication",
  ]),
  goRequestUrl: sdk("pusher-http-go", GO, "request_url_test.go", "cf054c8621bdceb5fe35f88f49cfcdff2f1ac34f", [
    "TestGetAllChannelsUrl",
    "TestGetAllChannelsWithNoParamsUrl",
    "TestGetChannelUrl",
  ]),
  goRequestUrlMore: sdk("pusher-http-go", GO, "request_url_test.go", "cf054c8621bdceb5fe35f88f49cfcdff2f1ac34f", [
    "TestGetAllChannelsWithOneAdditionalParamUrl",
    "TestGetUsersUrl",
  ]),
  goCrypto: sdk("pusher-http-go", GO, "crypto_test.go", "c4c5956c952098b57090f0fa1708117a61678583", [
    "TestHmacSignature",
    "TestHmacBytes",
    "TestCheckValidSignature",
  ]),
  goMd5: sdk("pusher-http-go", GO, "crypto_test.go", "c4c5956c952098b57090f0fa1708117a61678583", ["TestMD5Signature"]),
  goCrypto33: sdk("pusher-http-go", GO, "crypto_test.go", "c4c5956c952098b57090f0fa1708117a61678583", [
    "TestGenerateSharedSecret",
    "TestDecryptValidKey",
  ]),
  goWebhook: sdk("pusher-http-go", GO, "webhook_test.go", "edf6b45e36305b6dc1596508a81d29382261f6d9", [
    "TestClientWebhookValidation",
  ]),
  goWebhookMore: sdk("pusher-http-go", GO, "webhook_test.go", "edf6b45e36305b6dc1596508a81d29382261f6d9", [
    "TestWebhookImproperKeyCase",
    "TestWebhookImproperSignatureCase",
    "TestWebhookNoSignature",
  ]),
  goUser: sdk("pusher-http-go", GO, "client_test.go", undefined, ["TestAuthenticateUser"]),
  phpAuthorize: sdk(
    "pusher-http-php",
    PHP,
    "tests/unit/AuthorizeChannelTest.php",
    "f286299eb1cb074821b98c7b6f79469d0f0f5659",
    [
      "testAuthorizeChannel",
      "testComplexAuthorizeChannel",
      "testAuthorizeChannelWithChannelData",
      "tests/unit/CryptoTest.php@ca7c6fcbf8bd5370bd27f98256ca4b3eab40f9d3 testGenerateSharedSecret",
    ],
  ),
  phpUser: sdk(
    "pusher-http-php",
    PHP,
    "tests/unit/AuthenticateUserTest.php",
    "c3279a8e27103308038258c0c61e17d3b6c990bb",
    [
      "testAuthenticateUser",
    ],
  ),
  phpUserData: sdk(
    "pusher-http-php",
    PHP,
    "tests/unit/AuthenticateUserTest.php",
    "c3279a8e27103308038258c0c61e17d3b6c990bb",
    [
      "testAuthenticateUserUserData",
    ],
  ),
  phpWebhook: sdk("pusher-http-php", PHP, "tests/unit/WebhookTest.php", "cb94145eb02fb5687ad76437e8c3f7d6de082e3e", [
    "testDecodeWebhook",
    "testValidWebhookSignature",
  ]),
  pyAuth: sdk(
    "pusher-http-python",
    PY,
    "pusher_tests/test_authentication_client.py",
    "cbb6a73b456238377ff7da32307c5aba10af0bf2",
    [
      "TestAuthenticationClient.test_authenticate_for_private_channels",
      "TestAuthenticationClient.test_authenticate_for_private_encrypted_channels",
    ],
  ),
  pyPresence: sdk(
    "pusher-http-python",
    PY,
    "pusher_tests/test_authentication_client.py",
    "cbb6a73b456238377ff7da32307c5aba10af0bf2",
    [
      "TestAuthenticationClient.test_authenticate_for_presence_channels",
    ],
  ),
  pyJson: sdk(
    "pusher-http-python",
    PY,
    "pusher_tests/test_authentication_client.py",
    "cbb6a73b456238377ff7da32307c5aba10af0bf2",
    [
      "TestJson.test_custom_json_encoder",
    ],
  ),
  pyRequest: sdk("pusher-http-python", PY, "pusher_tests/test_request.py", "f4fab0699b5b55eda36125e0b7f04cfd03a29452", [
    "TestRequest.test_get_signature_generation",
    "TestRequest.test_post_signature_generation",
  ]),
  pyCrypto: sdk("pusher-http-python", PY, "pusher_tests/test_crypto.py", "e7ddec1903a56b4e18cc54fdb973a85ebe1ded22", [
    "TestCrypto.test_generate_shared_secret",
    "TestCrypto.test_encrypt",
  ]),
  javaAuth: sdk(
    "pusher-http-java",
    JAVA,
    "src/test/java/com/pusher/rest/PusherChannelAuthTest.java",
    "eb4649ecce0638d29edf86fe5955443c1fe00b69",
    [
      "complexPrivateChannelAuth",
      "trailingColonSocketId",
      "trailingNLSocketId",
      "leadingColonSocketId",
      "trailingColonChannel",
      "leadingColonNLChannel",
    ],
  ),
  javaCrypto: sdk(
    "pusher-http-java",
    JAVA,
    "src/test/java/com/pusher/rest/crypto/CryptoUtilTest.java",
    "efc34c2423398766d515326bc8a4c9e681fb1845",
    ["generateBase64EncodedSharedSecret"],
  ),
  rubyChannel: sdk("pusher-http-ruby", RUBY, "spec/channel_spec.rb", "102a90eb566f8a099bbc56e66f65cd06f69791b8", [
    "Pusher::Channel #authentication_string should return an authentication string given a socket id",
  ]),
  dotnetRequest: sdk(
    "pusher-http-dotnet",
    DOTNET,
    "PusherServer.Tests/RestfulClient/AuthenticationRequestFactoryTests.cs",
    "56b0c921aafa036537e9a05d7011c5fcf5c1d7da",
    ["When_creating_an_authenticated_request_for_pusher.then_the_request_should_be_made_with_parameters_from_a_source_object_and_a_content_object"],
  ),
  // The 3-argument WebHook(secret, signature, body) suite; the index stored it without its commit (the commit it lists
  // for this path, 8ac70c16, is the 4-argument revision that does not contain these values).
  dotnetWebhook: sdk("pusher-http-dotnet", DOTNET, "PusherServer.Tests/UnitTests/WebHook.cs", undefined, [
    "when_creating_a_webhook.the_WebHook_will_be_valid_given_alternative_values",
    "when_creating_a_webhook.the_WebHook_will_be_invalid_if_they_signature_is_null",
  ]),
  // pusher-signature is the gem published from mloughran/signature; the spec there carries the same values.
  signature: sdk(
    "pusher-signature",
    "mloughran/signature",
    "spec/signature_spec.rb",
    "fedbf2236dded6701962e89e1807efa3fb065565",
    [
      "Signature should generate base64 encoded signature from correct key",
    ],
  ),
  signatureAuthHash: sdk(
    "pusher-signature",
    "mloughran/signature",
    "spec/signature_spec.rb",
    "fedbf2236dded6701962e89e1807efa3fb065565",
    ["Signature should make auth_hash available after request is signed"],
  ),
  signatureVerify: (test: string): Source =>
    sdk(
      "pusher-signature",
      "mloughran/signature",
      "spec/signature_spec.rb",
      "fedbf2236dded6701962e89e1807efa3fb065565",
      [
        `Signature verification ${test}`,
      ],
    ),
};
