// The shared example app (examples/app), built by webpack.
import * as localconv from 'localconv';
import { startApp } from '../../app/app.js';

startApp(localconv);
