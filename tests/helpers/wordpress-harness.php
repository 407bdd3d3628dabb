<?php
/**
 * Runs the WordPress plugin's own code outside WordPress, with the few WordPress functions it
 * calls stubbed to fixed answers, and prints JSON: a signed member token and the shortcode's
 * HTML. Input (argv[1]) is JSON: {secret, kid, capabilities[], memberships[], loggedIn}.
 */

define( 'ABSPATH', __DIR__ );
$input = json_decode( $argv[1], true );
define( 'HEARTH_SERVER_URL', 'https://community.example/' );
define( 'HEARTH_SSO_SECRET', $input['secret'] );
define( 'HEARTH_SSO_KID', $input['kid'] );
define( 'HEARTH_UPGRADE_URL', 'https://wp.example/register/gold/' );

$GLOBALS['hearth_test'] = $input;
$GLOBALS['hearth_hooks'] = array();

class WP_User {
	public $ID = 42;
	public $display_name = 'Ada Lovelace';
	public $user_login = 'ada';
	public $user_email = 'ada@example.com';
}
class WP_REST_Response {
	public $data;
	public $headers = array();
	public function __construct( $data ) { $this->data = $data; }
	public function header( $name, $value ) { $this->headers[ $name ] = $value; }
}
class WP_Error {
	public function __construct( $code, $message, $data ) { $this->code = $code; }
}
class MeprUser {
	public function __construct( $id ) {}
	public function active_product_subscriptions( $format ) { return $GLOBALS['hearth_test']['memberships']; }
}
function wp_json_encode( $data, $flags = 0 ) { return json_encode( $data, $flags ); }
function home_url() { return 'https://wp.example/'; }
function untrailingslashit( $value ) { return rtrim( $value, '/\\' ); }
function user_can( $user, $capability ) { return in_array( $capability, $GLOBALS['hearth_test']['capabilities'], true ); }
function get_post_field( $field, $id ) { return array( 7 => 'gold', 8 => 'silver' )[ $id ] ?? ''; }
function get_avatar_url( $id ) { return 'https://secure.gravatar.com/avatar/ada'; }
function get_user_locale( $user ) { return 'de_DE'; }
function get_locale() { return 'de_DE'; }
function apply_filters( $hook, $value ) { return $value; }
function add_action( $hook, $callback ) { $GLOBALS['hearth_hooks'][ $hook ] = $callback; }
function add_shortcode( $tag, $callback ) { $GLOBALS['hearth_hooks'][ $tag ] = $callback; }
function wp_get_current_user() { return new WP_User(); }
function is_user_logged_in() { return $GLOBALS['hearth_test']['loggedIn']; }
function current_user_can( $capability ) { return false; }
function get_the_ID() { return 99; }
function shortcode_atts( $defaults, $atts ) { return array_merge( $defaults, (array) $atts ); }
function wp_create_nonce( $action ) { return 'n0nce'; }
function rest_url( $path ) { return 'https://wp.example/wp-json/' . $path; }
function add_query_arg( $key, $value, $url ) { return $url . '?' . $key . '=' . $value; }
function esc_attr( $value ) { return htmlspecialchars( $value, ENT_QUOTES ); }
function wp_enqueue_script_module( $id, $src ) { $GLOBALS['hearth_module'] = $src; }

require dirname( __DIR__, 2 ) . '/plugins/wordpress/hearth/hearth.php';

$response = hearth_rest_token();
echo json_encode(
	array(
		'token'     => $response->data['token'],
		'headers'   => $response->headers,
		'shortcode' => hearth_thread_shortcode( array() ),
		'module'    => $GLOBALS['hearth_module'],
	)
);
